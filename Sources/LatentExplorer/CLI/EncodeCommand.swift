import ArgumentParser
import FileFormats
import Foundation
import LetterData
import Pictures
import Support
import VAE

struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Place your own pictures of letters in a model's latent space: code, nearest test letters, verdict.",
        discussion: """
            Reads PNG (any bit depth, colour type, palette, alpha or interlacing) and PGM/PBM/PPM. A photo of \
            dark ink on light paper is recognised and inverted; a light-on-dark 28x28 image is taken as it is; \
            everything else is prepared as EMNIST prepared NIST's letters (blur, crop to the ink, centre in a \
            square keeping the aspect ratio, 2-pixel margin, 28x28). For each image: the code (mean ± σ per \
            dimension), the 5 nearest test letters, the verdict of their vote, and the negative ELBO. A file \
            that cannot be read gets one line, and the others are still read (exit status 1).
            """)

    @Argument(help: ArgumentHelp("The pictures to read.", valueName: "image")) var images: [String]
    @Option(help: ArgumentHelp("The weights to encode with.", valueName: "file")) var weights: String
    @OptionGroup var dataOptions: DataOptions
    @Flag(help: "Print one JSON object per image (file, polarity, mean, sigma, nearest, verdict, neg_elbo), one a line.")
    var json = false
    @Option(name: .shortAndLong, help: ArgumentHelp("Also draw each image, what was prepared from it and its reconstruction: a .png or .svg.",
                                                    valueName: "file"))
    var out: String?
    @Flag(help: "Replace --out even when it holds something other than a PNG or SVG picture.") var force = false

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("name at least one image") }
        if let out { _ = try PictureOptions.parse(["--out", out]) }   // the same refusal as grid's for a bad extension
    }

    func run() throws {
        let (model, metadata) = try LoadedWeights.load(weights)
        try CLIError.wrap { try model.configuration.checkFits(ImageSet.geometry) }
        let dataset = try dataOptions.load()
        // A conditional model encodes the test letters with their classes, named as the model names them.
        let classes = try CLIError.wrap { try ClassMap(model: model, dataset: dataset).indices(of: dataset.test) }
        let reader = StatusLine.run("Encoding \(dataset.test.count) test letters…") {
            LetterReader(inference: Inference(model: model), testImages: dataset.test, testClasses: classes)
        }
        let (rows, refused) = try readImages(with: reader, model: model, dataset: dataset)
        if let out, !rows.isEmpty {
            try writeSheet(rows, to: out, noun: ImageNoun(classNames: metadata.classes, datasetName: metadata.dataset))
        }
        if refused > 0 { throw ExitCode.failure }
    }

    /// Reads each image, printing what the model makes of it (or why it could not be read) as it
    /// goes; returns each read image's row of the sheet (the picture, as prepared, as reconstructed)
    /// and how many were refused.
    private func readImages(with reader: LetterReader, model: VAEModel,
                            dataset: LabelledDataset) throws -> (rows: [(name: String, tiles: [UInt8])], refused: Int) {
        var refused = 0
        var rows: [(name: String, tiles: [UInt8])] = []
        for path in images {
            let picture: RasterImage
            do { picture = try LetterImageFile.read(path) } catch {
                refused += 1
                let line = TextSanitizer.clean("\(error)")
                if json { try printJSON(["file": TextSanitizer.clean(path), "error": line]) } else { FileHandle.printError("error: " + line) }
                continue
            }
            let (prepared, thumbnail) = LetterPreparation.prepareWithThumbnail(picture)
            let reading = reader.read(prepared.pixels)
            if json {
                try printJSON(jsonObject(path, picture, prepared, reading, dataset, model.classNames))
            } else {
                printText(path, picture, prepared, reading, dataset, model.classNames)
            }
            rows.append((PictureOptions.fileName(path), thumbnail + prepared.pixels
                         + TilePicture.greyValues(reading.reconstruction)))
        }
        return (rows, refused)
    }

    private func writeSheet(_ rows: [(name: String, tiles: [UInt8])], to out: String, noun: ImageNoun) throws {
        let picture = TilePicture(title: "\(PictureOptions.fileName(weights)): \(noun.plural) encoded and reconstructed",
                                  rows: rows.count, columns: 3, tiles: rows.flatMap(\.tiles),
                                  rowLabels: rows.map(\.name), columnLabels: ["in", "prep", "out"])
        let options = try PictureOptions.parse(["--out", out] + (force ? ["--force"] : []))
        let written = try options.write(picture, defaultScale: 4)
        if !json { print("Wrote \(rows.count) \(rows.count == 1 ? "row" : "rows") to \(out) (\(written))") }
    }

    /// "a (4 of 5)", or a dash without test letters; a conditional model's own most likely class,
    /// "a (the model's most likely class)".
    static func verdict(_ reading: LetterReader.Reading, _ dataset: LabelledDataset, _ classNames: [String]) -> String {
        if let y = reading.modelClass { return "\(TextSanitizer.clean(classNames[Int(y)])) (the model's most likely class)" }
        guard let v = reading.verdict else { return "–" }
        return "\(TextSanitizer.clean(dataset.className(v.label))) (\(v.votes) of \(v.of))"
    }

    private func printText(_ path: String, _ picture: RasterImage, _ prepared: LetterPreparation.Prepared,
                           _ reading: LetterReader.Reading, _ dataset: LabelledDataset, _ classNames: [String]) {
        let how = prepared.takenAsIs ? "taken as it is" : prepared.polarity == .darkOnLight ? "inverted and prepared to 28x28" : "prepared to 28x28"
        print("\(TextSanitizer.clean(path)): \(picture.width)x\(picture.height), \(prepared.polarity.rawValue), \(how)\(prepared.blank ? " (no ink found: blank)" : "")")
        let code = zip(reading.mean, reading.sigma).enumerated().map { i, pair in
            "z\(i + 1) \(String(format: "%+.2f", pair.0))±\(String(format: "%.2f", pair.1))"
        }
        print("  code:       \(code.joined(separator: "  "))")
        let nearest = reading.nearest.map { "\(TextSanitizer.clean(dataset.className($0.label))) #\($0.index) (\(String(format: "%.2f", $0.distance)))" }
        print("  nearest:    \(nearest.joined(separator: ", "))")
        print("  looks like: \(Self.verdict(reading, dataset, classNames))")
        print("  neg ELBO:   \(ScoreText.formatted(reading.negativeELBO, "%.2f")) nats")
    }

    private func jsonObject(_ path: String, _ picture: RasterImage, _ prepared: LetterPreparation.Prepared,
                            _ reading: LetterReader.Reading, _ dataset: LabelledDataset, _ classNames: [String]) -> [String: Any] {
        var object: [String: Any] = [
            "file": TextSanitizer.clean(path), "width": picture.width, "height": picture.height,
            "polarity": prepared.polarity == .darkOnLight ? "dark-on-light" : "light-on-dark",
            "taken_as_is": prepared.takenAsIs, "blank": prepared.blank,
            "mean": reading.mean.map { ScoreText.json(Double($0)) }, "sigma": reading.sigma.map { ScoreText.json(Double($0)) },
            "nearest": reading.nearest.map { ["index": $0.index, "label": $0.label, "class": dataset.className($0.label),
                                              "distance": ScoreText.json(Double($0.distance))] as [String: Any] },
            "neg_elbo": ScoreText.json(reading.negativeELBO),
        ]
        if let y = reading.modelClass {
            object["verdict"] = ["class": classNames[Int(y)], "by": "generative classifier"]
        } else if let v = reading.verdict {
            object["verdict"] = ["class": dataset.className(v.label), "label": v.label, "votes": v.votes, "of": v.of]
        }
        return object
    }

    private func printJSON(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
