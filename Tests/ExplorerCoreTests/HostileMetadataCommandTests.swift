import FileFormats
import Foundation
import LetterData
import TestSupport
@testable import VAE
import XCTest

/// Files whose metadata is valid-looking but wrong, through the commands: a deep-mlp whose hidden_sizes
/// holds the wrong number of values (it trapped in eval and grid while the error line was built) and a
/// model naming 10,000 classes (compare printed a 59,000-character line). Each is one short line, exit 1.
final class HostileMetadataCommandTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        _ = try ExplorerBinary.require()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-hostile-meta-\(UUID().uuidString)").path
        try SyntheticLetterFolder.write(to: folder + "/data", trainCount: 260, testCount: 260, seed: 5)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func assertOneShortLine(_ run: (status: Int32, stdout: String, stderr: String), _ expected: String,
                                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.status, 1, run.stderr, file: file, line: line)
        let lines = run.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, run.stderr, file: file, line: line)
        XCTAssertLessThanOrEqual(lines.first?.count ?? 0, 400, file: file, line: line)
        XCTAssertTrue(run.stderr.contains(expected), run.stderr, file: file, line: line)
    }

    func testADeepMLPWithTheWrongNumberOfHiddenSizesIsOneLineInEvalAndGrid() throws {
        let configuration = ModelConfiguration(DeepMLPNetwork.self, inputSize: 784, latentDim: 2, settings: ["hidden_sizes": [16, 8]])
        let model = VAEModel(configuration: configuration, seed: 2)
        for values in ["16", "16,8,4"] {
            var strings = ModelMetadata(configuration: configuration).strings
            strings["hidden_sizes"] = values
            let path = folder + "/deep.safetensors"
            try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
            let expected = "its metadata describes an invalid model: hidden sizes needs 2 values, not \(values)"
            assertOneShortLine(try ExplorerBinary.run(["eval", "--weights", path, "--data", folder + "/data"]), expected)
            assertOneShortLine(try ExplorerBinary.run(["grid", "--weights", path, "--out", folder + "/g.png"]), expected)
        }
    }

    func testAModelNamingTenThousandClassesGetsAShortLine() throws {
        let source = try TestModels.weightsFile(latentDim: 2)
        let (model, metadata) = try WeightsFile.load(source)
        var many = metadata
        many.classes = (0 ..< 10_000).map { "class\($0)" }
        let path = folder + "/many.safetensors"
        try WeightsFile.save(model, metadata: many, to: path)
        let run = try ExplorerBinary.run(["compare", path, "--data", folder + "/data", "--importance-samples", "1"])
        assertOneShortLine(run, "was trained on class0 class1")
        XCTAssertTrue(run.stderr.contains("… and "), run.stderr)
    }
}
