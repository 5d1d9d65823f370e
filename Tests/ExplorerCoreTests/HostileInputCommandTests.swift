import Foundation
@testable import FileFormats
@testable import LetterData
@testable import VAE
import XCTest

/// The named failures of hostile but well-formed input, run through the real binary: every command ends
/// with exit 0, 1 or 64, at most 4 lines on standard error, no ESC byte, and (for the gzip bomb) well
/// under 1 GB of memory.
final class HostileInputCommandTests: XCTestCase {
    private var folder = ""
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("VAETests/Fixtures").path

    override func setUpWithError() throws {
        _ = try ExplorerBinary.require()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    /// A small EMNIST-style folder (52 training and 26 test letters): quick to load and score.
    private func smallData() throws -> String {
        let data = folder + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        for (split, count, seed) in [("train", 52, UInt64(5)), ("test", 26, UInt64(6))] {
            try DatasetWriter.writeIDX(SyntheticLetters.makeImageSet(count: count, seed: seed),
                                       imagesPath: data + "/emnist-letters-\(split)-images-idx3-ubyte",
                                       labelsPath: data + "/emnist-letters-\(split)-labels-idx1-ubyte", gzip: false, transposed: true)
        }
        return data
    }

    /// Runs the binary and checks what every run must satisfy; returns its status and output.
    @discardableResult
    private func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try ExplorerBinary.run(arguments)
        XCTAssertTrue([0, 1, 64].contains(result.status), "\(arguments): exit \(result.status)\n\(result.stderr)", file: file, line: line)
        XCTAssertLessThanOrEqual(result.stderr.split(separator: "\n").count, 4, "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertFalse((result.stdout + result.stderr).utf8.contains(0x1B), "\(arguments): an ESC byte was printed", file: file, line: line)
        return result
    }

    /// The fixture that overflowed the heap in `train` (12 inputs, written by PyTorch) is refused in one line.
    func testTrainingTheTwelveInputFixtureIsRefusedNamingBothSizes() throws {
        for (name, size) in [("torch-mlp", "1x12 images (12 values)"), ("torch-conv", "8x8 images (64 values)")] {
            let result = try run(["train", "--weights", Self.fixtures + "/\(name).safetensors", "--data", "synthetic", "--epochs", "1",
                                  "--out", folder + "/x.safetensors"])
            XCTAssertEqual(result.status, 1)
            XCTAssertEqual(result.stderr, "Error: the model takes \(size), the data has 28x28 images (784 values)\n")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "/x.safetensors"))
        }
    }

    /// grid, interpolate and traverse draw the fixtures at their own geometry instead of trapping.
    func testTheFixturesDrawAtTheirOwnGeometry() throws {
        let conv = Self.fixtures + "/torch-conv.safetensors", mlp = Self.fixtures + "/torch-mlp.safetensors"
        let cases: [[String]] = [
            ["grid", "--weights", conv, "--size", "5", "--out", folder + "/g.png"],
            ["interpolate", "--weights", conv, "--from", "0,0", "--to", "1,1", "--steps", "4", "--out", folder + "/i.png"],
            ["traverse", "--weights", conv, "--steps", "3", "--out", folder + "/t.svg"],
            ["grid", "--weights", mlp, "--size", "4", "--out", folder + "/g2.png"],
            ["interpolate", "--weights", mlp, "--from", "0,0,0", "--to", "1,1,1", "--steps", "3", "--out", folder + "/i2.svg"],
            ["traverse", "--weights", mlp, "--steps", "2", "--out", folder + "/t2.png"],
        ]
        for arguments in cases {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stdout.hasPrefix("Wrote "), "\(arguments): \(result.stdout)")
            let written = try XCTUnwrap(FileManager.default.contents(atPath: arguments.last!), "\(arguments)")
            XCTAssertFalse(written.isEmpty, "\(arguments)")
        }
        // The tiles are the model's own images: 8x8 for the conv fixture, one row of 12 for the MLP's.
        let conv8 = try XCTUnwrap(FileManager.default.contents(atPath: folder + "/t.svg").map { String(decoding: $0, as: UTF8.self) })
        XCTAssertTrue(conv8.contains("<rect width=\"8\" height=\"8\""), "conv tiles of 8x8 image pixels")
        // A test letter as the anchor needs the data's geometry: refused in one line.
        let anchored = try run(["grid", "--weights", conv, "--data", try smallData(), "--at", "3", "--out", folder + "/g3.png"])
        XCTAssertEqual(anchored.stderr, "Error: the model takes 8x8 images (64 values), the data has 28x28 images (784 values)\n")
    }

    /// A model file of the data's geometry with the given tensors changed, saved in the test folder.
    private func modelFile(_ name: String, metadata: [String: String] = [:], change: (inout [String: Tensor]) -> Void) throws -> String {
        let model = VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 8, latentDim: 2), seed: 4)
        var tensors = model.tensors()
        change(&tensors)
        var strings = ModelMetadata(configuration: model.configuration, dataset: "synthetic-letters", epochs: 1).strings
        strings.merge(metadata) { $1 }
        let path = folder + "/\(name).safetensors"
        try AtomicFile.write(SafeTensors.encode(tensors, metadata: strings), to: path)
        return path
    }

    func testNonFiniteAndHugeWeightsEndInWordsNeverInATrap() throws {
        let nan = try modelFile("nan") { $0["encoder.hidden.weight"]!.values[7] = .nan }
        let data = try smallData()
        let refused = try run(["eval", "--weights", nan, "--data", data])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("holds 1 NaN or infinite values in tensor 'encoder.hidden.weight'"), refused.stderr)

        let huge = try modelFile("huge") { tensors in
            for name in tensors.keys { tensors[name]!.values = tensors[name]!.values.map { $0 < 0 ? -3e38 : 3e38 } }
        }
        let json = try run(["eval", "--weights", huge, "--data", data, "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        XCTAssertNotNil(object, json.stdout)
        XCTAssertTrue(["not a number (NaN)", "infinite"].contains(object?["neg_elbo"] as? String ?? "?"), json.stdout)
        // compare says the same in its JSON and its table.
        let compared = try run(["compare", huge, "--data", data, "--json"])
        XCTAssertEqual(compared.status, 0, compared.stderr)
        let models = (try JSONSerialization.jsonObject(with: Data(compared.stdout.utf8)) as? [String: Any])?["models"] as? [[String: Any]]
        let own = models?.first?["own"] as? [String: Any]
        XCTAssertTrue(["not a number (NaN)", "infinite"].contains(own?["neg_elbo"] as? String ?? "?"), compared.stdout)
        let table = try run(["compare", huge, "--data", data])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertFalse(table.stdout.contains("nan"), table.stdout)
        for command in [["grid", "--size", "3"], ["traverse", "--steps", "2"]] {
            let result = try run(command + ["--weights", huge, "--out", folder + "/p.png"])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
    }

    func testEscapeSequencesFromAFileArePrintedEscaped() throws {
        let hostile = "\u{1B}]0;pwned\u{7}\u{1B}[2J\u{202E}"
        let architecture = try modelFile("architecture", metadata: ["architecture": hostile]) { _ in }
        let result = try run(["grid", "--weights", architecture, "--out", folder + "/p.png"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\\u{202e}"), result.stderr)
        let named = try modelFile("name") { $0[hostile] = Tensor(shape: [1], values: [0]) }
        XCTAssertEqual(try run(["grid", "--weights", named, "--out", folder + "/p.png"]).status, 1)
        XCTAssertEqual(try run(["grid", "--weights", folder + "/\(hostile).safetensors", "--out", folder + "/p.png"]).status, 1)
    }

    func testOptionsOutOfRangeAreUsageErrors() throws {
        let weights = try modelFile("plain") { _ in }
        let cases: [[String]] = [
            ["eval", "--weights", weights, "--data", "synthetic", "--k", "0"],
            ["train", "--data", "synthetic", "--real-repeat", "1000000000", "--out", folder + "/x.safetensors"],
            ["train", "--data", "synthetic", "--epochs", "0", "--out", folder + "/x.safetensors"],
            ["train", "--data", "synthetic", "--epochs", "2000000", "--out", folder + "/x.safetensors"],
            ["train", "--data", "synthetic", "--batch-size", "100000000", "--out", folder + "/x.safetensors"],
            ["train", "--data", "synthetic", "--latent-dim", "0", "--out", folder + "/x.safetensors"],
            ["train", "--data", "synthetic", "--hidden-size", "1000000", "--out", folder + "/x.safetensors"],
            ["explore", "--test-count", "100000000"],
            ["grid", "--weights", weights, "--size", "0", "--out", folder + "/p.png"],
            ["grid", "--weights", weights, "--range", "nan", "--out", folder + "/p.png"],
            ["interpolate", "--weights", weights, "--from", "0,0", "--to", "1,1", "--steps", "100000", "--out", folder + "/p.png"],
        ]
        for arguments in cases {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("Error: "), "\(arguments): \(result.stderr)")
        }
    }

    func testATextFileGivenAsWeightsIsNotASafetensorsFile() throws {
        let readme = folder + "/README.md"
        try Data("# LatentExplorer\n\nA VAE of handwritten letters.\n".utf8).write(to: URL(fileURLWithPath: readme))
        let result = try run(["grid", "--weights", readme, "--out", folder + "/p.png"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.hasPrefix("Error: \(readme) is not a safetensors file: its first 8 bytes give a header length of"), result.stderr)
    }

    func testOutThroughASymbolicLinkNeverReplacesAnotherKindOfFile() throws {
        let notes = folder + "/notes.txt"
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: notes))
        try FileManager.default.createSymbolicLink(atPath: folder + "/model.safetensors", withDestinationPath: notes)
        let result = try run(["train", "--data", try smallData(), "--epochs", "1", "--out", folder + "/model.safetensors"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stderr.contains("is a symbolic link to a file that is not a weights file"), result.stderr)
        XCTAssertEqual(try String(contentsOfFile: notes, encoding: .utf8), "keep me\n")
        try FileManager.default.createSymbolicLink(atPath: folder + "/picture.png", withDestinationPath: notes)
        let png = try run(["grid", "--weights", try modelFile("plain") { _ in }, "--size", "2", "--out", folder + "/picture.png"])
        XCTAssertEqual(png.status, 1)
        XCTAssertTrue(png.stderr.contains("is a symbolic link to a file that is not a PNG picture"), png.stderr)
        XCTAssertEqual(try String(contentsOfFile: notes, encoding: .utf8), "keep me\n")
    }

    /// A 10 MB gzip that inflates to 10 GiB as an IDX image file (twice: train and test) is refused at
    /// the first byte its header does not announce. Peak memory measured with wait4.
    func testTheGzipBombIsRefusedWithinBoundedMemory() throws {
        let data = folder + "/bomb"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let header = [UInt32(0x0803), 100, 28, 28].flatMap { withUnsafeBytes(of: $0.bigEndian, Array.init) }
        let zeros = [UInt8](repeating: 0, count: 64 << 20)
        var bomb = try DatasetWriter.compress(header + zeros)
        let member = try DatasetWriter.compress(zeros)
        for _ in 1 ..< 160 { bomb += member }
        let labels = try DatasetWriter.compress([0, 0, 8, 1, 0, 0, 0, 100] + [UInt8](repeating: 1, count: 100))
        for split in ["train", "test"] {
            try Data(bomb).write(to: URL(fileURLWithPath: data + "/emnist-letters-\(split)-images-idx3-ubyte.gz"))
            try Data(labels).write(to: URL(fileURLWithPath: data + "/emnist-letters-\(split)-labels-idx1-ubyte.gz"))
        }
        let measured = try Self.measure(["train", "--data", data, "--epochs", "1", "--out", folder + "/x.safetensors"])
        print("gzip bomb (2 x 10 GiB inflated): exit \(measured.status), peak RSS \(measured.maximumResidentKB / 1024) MB, \(String(format: "%.2f", measured.seconds)) s")
        XCTAssertEqual(measured.status, 1)
        XCTAssertTrue(measured.stderr.contains("holds more than the 78416 bytes its header announces"), measured.stderr)
        XCTAssertLessThan(measured.maximumResidentKB, 1 << 20, "peak RSS under 1 GB")
    }

    /// Runs the binary under /usr/bin/time, which forks it: the peak resident memory reported is the
    /// program's own (a process spawned from the test runner would inherit the runner's high-water mark).
    static func measure(_ arguments: [String]) throws -> (status: Int32, stderr: String, maximumResidentKB: Int, seconds: Double) {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { throw XCTSkip("no /usr/bin/time to measure memory") }
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("lx-measure-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: report) }
        let start = Date()
        let result = try ExplorerBinary.runProgram("/usr/bin/time", ["-f", "%M", "-o", report, try ExplorerBinary.require()] + arguments)
        let seconds = Date().timeIntervalSince(start)
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        let kilobytes = text.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last ?? Int.max
        return (result.status, result.stderr, kilobytes, seconds)
    }
}
