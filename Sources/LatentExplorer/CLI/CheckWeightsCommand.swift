import ArgumentParser
import Foundation
import LetterData
import Support
import VAE

/// `latent-explorer check-weights FILE...` (hidden): loads each weight file as every command does and
/// prints one JSON object per file, so that the differential fuzz test can compare this program's verdict
/// with the PyTorch package's (`latent-explorer-torch check-weights`) on thousands of files in one
/// process each. Each line holds `path`, `verdict` ("read" or "refused"), `exit` (the status `eval` would
/// end with on the load: 0 or 1), `reason` (the one-line refusal) and, when read, `fits_letters` (the
/// model takes 28x28 images) and `score` (`CheckScore`).
struct CheckWeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-weights",
        abstract: "Load weight files and print one JSON verdict per file (for the differential tests).",
        shouldDisplay: false)

    @Argument(help: ArgumentHelp("Weight files; with --list, files listing one path per line.", valueName: "file"))
    var files: [String] = []
    @Flag(help: "Read the paths from the files named, one per line.") var list = false

    func run() throws {
        var paths = files
        if list {
            paths = try files.flatMap { listing in
                try String(contentsOfFile: listing, encoding: .utf8).split(separator: "\n").map(String.init)
            }
        }
        for path in paths {
            var object: [String: Any] = ["path": path]
            do {
                let (model, _) = try CLIError.wrap { try WeightsFile.load(path) }
                object["verdict"] = "read"
                object["exit"] = 0
                object["fits_letters"] = (try? model.configuration.checkFits(ImageSet.geometry)) != nil
                object["score"] = ScoreText.json(CheckScore.value(model))
            } catch let error as CLIError {
                object["verdict"] = "refused"
                object["exit"] = 1
                object["reason"] = error.description
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}

/// The score both programs compute for a model without a data set, to compare what they read: the
/// negative ELBO of `images` fixed inputs with z at the encoder's mean (noise 0), per input value, so
/// that any geometry is scored and the figure is of order 1 (`check_score` in the PyTorch package).
enum CheckScore {
    static let images = 4

    /// Input value j of image i: a fixed pattern in [0, 1].
    static func pixel(_ i: Int, _ j: Int) -> Float { Float((j * 37 + i * 101) % 256) / 255 }

    static func value(_ model: VAEModel) -> Double {
        let n = model.configuration.inputSize
        let step = TrainingStep(model: model, batchCapacity: images, pool: .default)
        step.input.rows = images
        step.input.assign((0 ..< images).flatMap { i in (0 ..< n).map { pixel(i, $0) } })
        step.noise.rows = images
        for index in 0 ..< step.noise.count { step.noise.storage[index] = 0 }
        var unused = SeededGenerator(seed: 0)
        let parts = step.forward(sampleNoise: false, using: &unused)
        return parts.total / Double(images * n)
    }
}
