import Foundation
import LetterData
import VAE

/// Runs the PyTorch reference script (`--torch-script`) on the same images, in the same sitting.
struct TorchReference {
    /// The Python executable: `--torch` as given when it names a path, else found on PATH.
    var python: String
    var script: String

    struct Figures {
        var samplesPerSecond: Double
        var decodeMicroseconds: Double
        var version: String
    }

    /// Lines of the reference's standard error shown when it fails (a Python traceback's end).
    static let stderrLinesShown = 15
    /// Images of the first run, which only checks that the reference works before anything is timed.
    static let checkImages = 256
    /// Images of the reference's run for its decode figure when its training was not timed (`--only
    /// decode`): enough batches for its warm-up and a short epoch, seconds in all.
    static let decodeRunImages = 1_280

    /// Resolves `python` (a name without a slash is looked up on PATH, as a shell would) and checks that
    /// the script exists, so a mistake is reported before any benchmark runs.
    init(python: String, script: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        if python.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: python) else {
                throw CLIError("--torch \(python): not an executable file")
            }
            self.python = python
        } else {
            let folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
            guard let found = folders.map({ $0 + "/" + python }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
                throw CLIError("--torch \(python): not found on PATH; give a Python with PyTorch, e.g. --torch /path/to/venv/bin/python")
            }
            self.python = found
        }
        guard FileManager.default.fileExists(atPath: script) else {
            throw CLIError("--torch-script \(script): no such file")
        }
        self.script = script
    }

    /// Runs the reference once on a few images (`checkImages` of them): a missing PyTorch or a broken script fails here, with
    /// Python's own message, before the other parts of the benchmark spend minutes.
    func check(on images: ImageSet, threads: Int, folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let first = Architectures.all.first { $0.bench.hasTorchReference } ?? Architectures.all[0]
        return try run(arch: first.name, on: images, threads: threads, folder: folder).version
    }

    /// Writes `train` where the script looks for EMNIST (once per folder), runs the `arch` model (an
    /// architecture whose `bench.hasTorchReference` is true) for one timed epoch, and parses its one-line report (`samples_per_sec=... decode_us=... torch=...`).
    /// On failure, the end of the script's standard error goes to ours before the one-line error.
    func run(arch: String, on train: ImageSet, threads: Int, folder: String) throws -> Figures {
        let images = folder + "/emnist-letters-train-images-idx3-ubyte.gz"
        if !FileManager.default.fileExists(atPath: images) {
            try CLIError.wrap {
                try DatasetWriter.writeIDX(train, imagesPath: images, labelsPath: folder + "/emnist-letters-train-labels-idx1-ubyte.gz",
                                           gzip: true, transposed: false)
            }
        }
        let fields = try Self.runScript(python: python, arguments: [script, "--arch", arch, "--n", String(train.count),
                                                                   "--threads", String(threads), "--data", folder],
                                        label: "\(python) \(script)", errorPath: folder + "/stderr-\(arch).txt")
        guard let rate = fields["samples_per_sec"].flatMap(Double.init), let decode = fields["decode_us"].flatMap(Double.init) else {
            throw CLIError("the PyTorch reference (\(python) \(script)) printed no samples_per_sec and decode_us")
        }
        return Figures(samplesPerSecond: rate, decodeMicroseconds: decode, version: fields["torch"] ?? "?")
    }

    /// Runs `python arguments` and returns the `key=value` words of its standard output. On failure,
    /// the end of its standard error goes to ours before the one-line error naming `label`.
    static func runScript(python: String, arguments: [String], label: String,
                          errorPath: String = FileManager.default.temporaryDirectory
                              .appendingPathComponent("latent-explorer-torch-\(getpid()).txt").path) throws -> [String: String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        // Standard error goes to a file, read after the exit: two pipes read one after the other could
        // block the child once the unread one fills.
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        do { try process.run() } catch { throw CLIError("cannot run \(python): \(error.localizedDescription)") }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        var fields: [String: String] = [:]
        for pair in text.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard process.terminationStatus == 0 else {
            let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            let lines = errors.split(separator: "\n").suffix(stderrLinesShown)
            if !lines.isEmpty { FileHandle.printError(lines.map { "  " + $0 }.joined(separator: "\n")) }
            let last = lines.last.map { ": " + $0.trimmingCharacters(in: .whitespaces) } ?? (text.isEmpty ? "" : ": " + text.prefix(200))
            throw CLIError("the PyTorch reference (\(label)) failed with exit status \(process.terminationStatus)\(last)")
        }
        return fields
    }
}
