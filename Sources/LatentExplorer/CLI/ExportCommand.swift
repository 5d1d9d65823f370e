import ArgumentParser
import FileFormats
import Foundation
import LetterData
import Pictures
import Support
import VAE

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the test letters' codes for TensorBoard's embedding projector.",
        discussion: """
            Writes vectors.tsv (one test letter's latent mean a row), metadata.tsv (label and index, with a \
            header), sprite.png (the letters in one sprite sheet) and projector_config.pbtxt into --out, so \
            that `tensorboard --logdir DIR` opens them in its Projector tab. The folder is made if its parent \
            exists; files of those names already there are replaced only with --force.
            """)

    @Option(help: ArgumentHelp("The weights whose codes to export.", valueName: "file")) var weights: String
    @OptionGroup var dataOptions: DataOptions
    @Option(name: .shortAndLong, help: ArgumentHelp("The folder to write the four files into.", valueName: "dir")) var out: String
    @Flag(help: "Replace vectors.tsv, metadata.tsv, sprite.png or projector_config.pbtxt already in --out.") var force = false

    func run() throws {
        let (model, metadata) = try LoadedWeights.load(weights)
        try CLIError.wrap { try model.configuration.checkFits(ImageSet.geometry) }
        let dataset = try dataOptions.load()
        guard dataset.test.count <= ProjectorExport.maximumCount else {
            throw CLIError("\(dataset.test.count) test letters are more than one sprite sheet holds (\(ProjectorExport.maximumCount)); choose fewer with --letters or --test-split")
        }
        // A conditional model's codes are style codes, each encoded with its letter's class.
        let classes = try CLIError.wrap { try ClassMap(model: model, dataset: dataset).indices(of: dataset.test) }
        try prepareFolder()
        let codes = StatusLine.run("Encoding \(dataset.test.count) test letters…") { Inference(model: model).encodeMeans(dataset.test, classes: classes) }
        let files = ProjectorExport.files(images: dataset.test, codes: codes, latentDim: model.latentDim,
                                          tensorName: "\(PictureOptions.fileName(weights)) latent means (\(TextSanitizer.clean(dataset.name)))",
                                          className: dataset.className)
        for file in files {
            let path = (out as NSString).appendingPathComponent(file.name)
            // The sprite replaces only a PNG; the text files were checked by prepareFolder. Nothing goes into
            // the shipped Weights/ without --force (WritePolicy).
            let kind: OutputKind? = file.name.hasSuffix(".png") ? .png : nil
            try CLIError.wrap { try AtomicFile.write(file.bytes, to: path, policy: .output(kind, force: force)) }
        }
        let noun = ImageNoun(classNames: metadata.classes, datasetName: metadata.dataset)
        print("Wrote \(dataset.test.count) \(noun.plural) (\(model.latentDim)-dimensional codes) to \(out): \(ProjectorExport.fileNames.joined(separator: ", "))")
        print("Open them with: tensorboard --logdir \(out)   (the Projector tab)")
    }

    /// Makes `out` when missing (its parent must exist); refuses to replace our four files without --force.
    private func prepareFolder() throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw CLIError("--out \(out) is a file; name a folder for the projector's files") }
            let present = ProjectorExport.fileNames.filter { FileManager.default.fileExists(atPath: (out as NSString).appendingPathComponent($0)) }
            if !present.isEmpty && !force {
                throw CLIError("not writing into \(out): it already holds \(present.joined(separator: ", ")); name another folder, or give --force to replace them")
            }
        } else {
            // Making the folder is a write into its parent: the shipped Weights/ is refused before it exists.
            try CLIError.wrap { try AtomicFile.checkWritable(out, bytes: 0, policy: .output(nil, force: force)) }
            do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false) } catch {
                throw CLIError("cannot make the folder \(out): \((error as NSError).localizedDescription)")
            }
        }
    }
}
