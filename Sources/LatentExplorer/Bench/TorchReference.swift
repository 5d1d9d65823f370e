import Foundation
import VAE

/// Runs the PyTorch reference (`../shared/bench/vae_torch.py`) on the same images, in the same sitting.
struct TorchReference {
    var python: String
    var script: String

    struct Figures {
        var samplesPerSecond: Double
        var decodeMicroseconds: Double
        var version: String
    }

    /// Writes `train` where the script looks for EMNIST (once per folder), runs the `arch` model ("mlp" or
    /// "conv") for one timed epoch, and parses its one-line report (`samples_per_sec=... decode_us=... torch=...`).
    func run(arch: String, on train: ImageSet, threads: Int, folder: String) throws -> Figures {
        let images = folder + "/emnist-letters-train-images-idx3-ubyte.gz"
        if !FileManager.default.fileExists(atPath: images) {
            try DatasetWriter.writeIDX(train, imagesPath: images, labelsPath: folder + "/emnist-letters-train-labels-idx1-ubyte.gz",
                                       gzip: true, transposed: false)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--arch", arch, "--n", String(train.count), "--threads", String(threads), "--data", folder]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { throw CLIError("cannot run \(python): \(error.localizedDescription)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        var fields: [String: String] = [:]
        for pair in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard process.terminationStatus == 0, let rate = fields["samples_per_sec"].flatMap(Double.init),
              let decode = fields["decode_us"].flatMap(Double.init) else {
            throw CLIError("the PyTorch reference failed (exit \(process.terminationStatus)): \(text.prefix(200))")
        }
        return Figures(samplesPerSecond: rate, decodeMicroseconds: decode, version: fields["torch"] ?? "?")
    }
}
