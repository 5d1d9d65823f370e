import ExplorerCore
import Foundation
@testable import FileFormats
@testable import LetterData
@testable import Pictures
@testable import Support
@testable import VAE
import XCTest

/// Semantic fuzzing of model files: valid safetensors files of random configurations (input sizes
/// 1...16384 with declared, inferred or inconsistent geometry, latent 1...64, hidden 1...2048, conv
/// sides and channels), weights with NaN, infinities and values of 3e38, and metadata whose strings
/// hold controls and escape sequences. Each file goes through what the commands do with it, in
/// process: load; then, as `train` and `eval` would, the geometry check against the data, one
/// training batch forward and backward, a score and a kNN vote; as `grid`, `interpolate` and
/// `traverse` would, the size check and the pictures; and the explorer core with keys and resizes.
///
/// Nothing may trap; every refusal is a one-line message with no character a terminal would obey.
/// Models are kept tiny (at most about 200,000 parameters) so that the default 1,000 cases are cheap;
/// `LATENT_EXPLORER_FUZZ_CASES` and `LATENT_EXPLORER_FUZZ_SEED` run longer or other campaigns.
final class SemanticModelFuzzTests: XCTestCase {
    static let defaultCases = 1_000
    static let defaultSeed: UInt64 = 0x5E_4A_17
    /// Keeps the cases cheap: hidden sizes shrink until the model has at most this many parameters.
    static let parameterBudget = 200_000

    private var cases: Int {
        ProcessInfo.processInfo.environment["LATENT_EXPLORER_FUZZ_CASES"].flatMap(Int.init).map { max($0, 1) } ?? Self.defaultCases
    }

    private var seed: UInt64 {
        ProcessInfo.processInfo.environment["LATENT_EXPLORER_FUZZ_SEED"].flatMap { UInt64($0) } ?? Self.defaultSeed
    }

    private struct Tally: CustomStringConvertible {
        var refusedAtLoad = 0, refusedGeometry = 0, trained = 0, drawn = 0, explored = 0, nonFiniteScores = 0
        var description: String {
            "\(refusedAtLoad) refused at load, \(refusedGeometry) refused for their geometry by train/eval/explore, \(trained) trained a batch and scored, \(drawn) drawn, \(explored) explored, \(nonFiniteScores) with non-finite scores"
        }
    }

    private static let hostileStrings = ["\u{1B}]0;pwned\u{7}", "\u{1B}[2J\u{1B}[H", "abc\u{202E}gnp.exe", "\u{9B}31m", "line\nbreak\r",
                                         "\u{2066}iso\u{2069}", "\u{0}nul", "ok", "é字"]

    func testRandomValidModelFilesNeverTrapAndRefuseInOneLine() throws {
        var random = SeededGenerator(seed: seed)
        var tally = Tally()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-semantic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/model.safetensors"
        let images = SyntheticLetters.makeImageSet(count: 52, seed: 3)
        let test = images.subset(Array(0 ..< 26)), reference = images.subset(Array(26 ..< 52))

        for number in 0 ..< cases {
            let made = makeFile(&random)
            try Data(made.bytes).write(to: URL(fileURLWithPath: path))   // no fsync: a thousand files a run
            let model: VAEModel
            do {
                model = try WeightsFile.load(path).model
            } catch {
                tally.refusedAtLoad += 1
                checkMessage(error, case: number, made.summary)
                continue
            }
            if made.nonFinite { XCTFail("case \(number): non-finite weights loaded: \(made.summary)") }
            exerciseDrawing(model, &random, case: number, made.summary)
            tally.drawn += 1
            do {
                try model.configuration.checkFits(ImageSet.geometry)
            } catch {
                tally.refusedGeometry += 1
                checkMessage(error, case: number, made.summary)
                continue
            }
            if exerciseTrainingAndScores(model, test: test, reference: reference, &random) { tally.nonFiniteScores += 1 }
            tally.trained += 1
            if random.next() % 3 != 0 {
                exerciseExplorer(model, test: test, reference: reference, &random, case: number, made.summary)
                tally.explored += 1
            }
        }
        print("semantic model fuzz: \(cases) cases (seed \(seed)): \(tally), 0 traps")
    }

    // MARK: Generating files

    private func uniform(_ random: inout SeededGenerator, _ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(random.next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// Log-uniform in 1...upper: small sizes are as likely as large ones.
    private func logUniform(_ random: inout SeededGenerator, _ upper: Int) -> Int {
        let exponent = Double(random.nextUniform()) * log2(Double(upper))
        return max(1, min(upper, Int(pow(2, exponent).rounded())))
    }

    private func makeFile(_ random: inout SeededGenerator) -> (bytes: [UInt8], summary: String, nonFinite: Bool) {
        var configuration: ModelConfiguration
        if random.next() % 4 == 0 {
            let side = 4 * uniform(&random, 1 ... 8)
            configuration = ModelConfiguration.conv(inputSize: side * side, hiddenSize: logUniform(&random, 64),
                                               latentDim: uniform(&random, 1 ... 64), channels: [uniform(&random, 1 ... 6), uniform(&random, 1 ... 6)])
            if random.next() % 3 == 0 { configuration.inputSize = 784; configuration.geometry = .letters }
        } else {
            let interesting = [1, 2, 12, 16, 783, 784, 785, 1024, 16384]
            // The data's 784 often, so that many cases reach training, scoring and the explorer.
            let inputSize = [784, 784, interesting[uniform(&random, 0 ... interesting.count - 1)], logUniform(&random, 16384)][uniform(&random, 0 ... 3)]
            var hidden = logUniform(&random, 2048)
            while hidden > 1 && 2 * inputSize * hidden > Self.parameterBudget { hidden /= 2 }
            configuration = ModelConfiguration.mlp(inputSize: inputSize, hiddenSize: hidden, latentDim: uniform(&random, 1 ... 64))
            if random.next() % 4 == 0, inputSize % 2 == 0 {   // a declared geometry that is not the inferred one
                configuration.geometry = ImageGeometry(height: 2, width: inputSize / 2)
            }
        }
        var tensors = VAEModel.parameterShapes(for: configuration).reduce(into: [String: Tensor]()) { tensors, entry in
            let count = entry.shape.reduce(1, *)
            let scale = Float(0.3)
            tensors[entry.name] = Tensor(shape: entry.shape, values: (0 ..< count).map { _ in random.nextGaussian() * scale })
        }
        var nonFinite = false
        var notes: [String] = []
        let names = tensors.keys.sorted()
        switch random.next() % 8 {
        case 0:   // NaN or an infinity somewhere
            let name = names[uniform(&random, 0 ... names.count - 1)]
            if !tensors[name]!.values.isEmpty {
                let index = uniform(&random, 0 ... tensors[name]!.values.count - 1)
                tensors[name]!.values[index] = [Float.nan, .infinity, -.infinity][uniform(&random, 0 ... 2)]
                nonFinite = true
                notes.append("non-finite \(name)[\(index)]")
            }
        case 1:   // every weight huge
            for name in names { tensors[name]!.values = tensors[name]!.values.map { $0 < 0 ? -3e38 : 3e38 } }
            notes.append("3e38 weights")
        case 2:   // some weights very large
            for name in names where random.next() % 3 == 0 { tensors[name]!.values = tensors[name]!.values.map { $0 * 1e20 } }
            notes.append("1e20 weights")
        default: break
        }
        var strings = ModelMetadata(configuration: configuration, dataset: "fuzz", classes: ["a", "b"], epochs: 1).strings
        switch random.next() % 6 {
        case 0:   // a file from PyTorch: no metadata
            strings = [:]
            notes.append("no metadata")
        case 1:   // format version 2: no geometry keys
            strings["format_version"] = "2"
            for key in ["image_height", "image_width", "image_channels"] { strings[key] = nil }
            notes.append("version 2")
        case 2:   // hostile strings wherever a string goes
            let hostile = Self.hostileStrings[uniform(&random, 0 ... Self.hostileStrings.count - 1)]
            let key = ["dataset", "classes", "architecture", "channels", "validation_set", "trained_at", "image_height", "input_size"][uniform(&random, 0 ... 7)]
            strings[key] = hostile
            notes.append("metadata \(key)")
        case 3:   // a geometry that does not multiply to the input size
            strings["image_width"] = String(uniform(&random, 1 ... 64))
            notes.append("inconsistent geometry")
        default: break
        }
        let summary = "\(configuration) geometry \(configuration.geometry) \(notes.joined(separator: ", "))"
        return (SafeTensors.encode(tensors, metadata: strings), summary, nonFinite)
    }

    // MARK: What the commands do

    private func checkMessage(_ error: Error, case number: Int, _ summary: String) {
        let message = "\(error)"
        XCTAssertTrue(error is WeightsError || error is ModelError || error is PictureTooLarge, "case \(number): \(type(of: error)) \(message)")
        XCTAssertFalse(message.unicodeScalars.contains(where: { TextSanitizer.isUnsafe($0) }), "case \(number): unsafe text in \(message.debugDescription) (\(summary))")
        XCTAssertFalse(message.isEmpty, "case \(number)")
    }

    /// grid, interpolate and traverse, at the model's own geometry.
    private func exerciseDrawing(_ model: VAEModel, _ random: inout SeededGenerator, case number: Int, _ summary: String) {
        let inference = Inference(model: model)
        let configuration = model.configuration
        let latentDim = configuration.latentDim
        let size = uniform(&random, 1 ... 3)
        let range: Float = [3, 0.001, 1000][uniform(&random, 0 ... 2)]
        let plane = LatentGridImage.Plane.standard(latentDim: latentDim)
        let cells = size * LatentGridImage.rows(size: size, plane: plane)
        do {
            try DecodedSheet.check(cells: cells, geometry: configuration.geometry)
            let grid = LatentGridImage.decode(inference, size: size, range: range, plane: plane)
            let geometry = configuration.geometry
            let tiles = TilePicture.greyValues(grid.decoded, geometry: geometry)
            XCTAssertEqual(tiles.count, cells * geometry.height * geometry.width, "case \(number): \(summary)")
            let picture = TilePicture(title: "fuzz", rows: grid.rows, columns: grid.columns, tileWidth: geometry.width,
                                      tileHeight: geometry.height, tiles: tiles)
            _ = picture.png(scale: 1)
            _ = picture.svg(scale: 1)
            let steps = uniform(&random, 2 ... 4)
            let from = (0 ..< latentDim).map { _ in random.nextGaussian() }, to = (0 ..< latentDim).map { _ in random.nextGaussian() * 1e3 }
            let strip = TilePicture(title: "fuzz", rows: 1, columns: steps, tileWidth: geometry.width, tileHeight: geometry.height,
                                    tiles: TilePicture.greyValues(inference.decodeBatch(LatentPaths.interpolation(from: from, to: to, steps: steps)),
                                                                  geometry: geometry))
            _ = strip.png(scale: 1)
            let dimensions = Array(0 ..< min(latentDim, 3))
            var points: [Float] = []
            for dimension in dimensions {
                points += LatentPaths.traversal(of: from, dimension: dimension, range: range, steps: steps)
            }
            let sheet = TilePicture.greyValues(inference.decodeBatch(points), geometry: geometry)
            XCTAssertEqual(sheet.count, dimensions.count * steps * geometry.height * geometry.width, "case \(number)")
        } catch {
            checkMessage(error, case: number, summary)
        }
    }

    /// One training batch forward and backward, a score and a kNN vote; whether a score was non-finite.
    private func exerciseTrainingAndScores(_ model: VAEModel, test: ImageSet, reference: ImageSet, _ random: inout SeededGenerator) -> Bool {
        let batch = uniform(&random, 1 ... 8)
        let step = TrainingStep(model: model, batchCapacity: batch, pool: .default)
        step.loadBatch(test, indices: Array(0 ..< batch)[...])
        var generator = SeededGenerator(seed: random.next())
        let loss = step.forward(using: &generator, computeGradients: true)
        step.backward()
        let data = LabelledDataset(name: "fuzz", train: reference, test: test, classNames: LabelledDataset.letterClassNames)
        guard let evaluation = try? Evaluation.run(model: model, dataset: data, k: uniform(&random, 1 ... 60)) else {
            XCTFail("an unconditional model scores any data set")
            return true
        }
        return ![loss.total, evaluation.loss.total, evaluation.knnAccuracy].allSatisfy(\.isFinite)
    }

    private static let keys: [Key] = [.up, .down, .left, .right, .bigUp, .bigDown, .enter, .tab, .escape]
        + "xyp0mivoOb[]+-hjklHJKLIVXYP?aez9".map { Key.character($0) }

    /// The explorer core with random keys, clicks and resizes, frames rendered.
    private func exerciseExplorer(_ model: VAEModel, test: ImageSet, reference: ImageSet, _ random: inout SeededGenerator,
                                  case number: Int, _ summary: String) {
        let view = ModelView(model: model, test: test, reference: reference)
        let catalog = ClassCatalog(dataset: LabelledDataset(name: "fuzz", train: reference, test: test, classNames: LabelledDataset.letterClassNames))
        let controller = ExplorerController(view: view, catalog: catalog)
        var size = (width: uniform(&random, 0 ... 200), height: uniform(&random, 0 ... 60))
        _ = controller.handle(.resize(width: size.width, height: size.height))
        for _ in 0 ..< uniform(&random, 3 ... 10) {
            let input: Input
            switch random.next() % 6 {
            case 0:
                size = (uniform(&random, 0 ... 200), uniform(&random, 0 ... 60))
                input = .resize(width: size.width, height: size.height)
            case 1:
                input = .mouse(MouseEvent(.press, column: uniform(&random, 0 ... 200), row: uniform(&random, 0 ... 60)))
            default:
                input = .key(Self.keys[uniform(&random, 0 ... Self.keys.count - 1)])
            }
            if controller.handle(input) == .quit { break }
        }
        let styles: [TerminalCapabilities.PixelStyle] = [.halfBlocks256, .shades, .ascii]
        let frame = controller.render(ExplorerRenderer(capabilities: TerminalCapabilities(pixels: styles[uniform(&random, 0 ... 2)], colours: true),
                                                       title: Self.hostileStrings[uniform(&random, 0 ... Self.hostileStrings.count - 1)]),
                                      width: size.width, height: size.height, training: TrainingSession.Status(dataName: "fuzz"))
        XCTAssertEqual(frame.cells.count, size.width * size.height, "case \(number): \(summary)")
        XCTAssertFalse(frame.cells.contains { $0.character.unicodeScalars.contains(where: { TextSanitizer.isUnsafe($0) }) },
                       "case \(number): a control character on the screen (\(summary))")
    }
}
