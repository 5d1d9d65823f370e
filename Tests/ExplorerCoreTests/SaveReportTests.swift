import ExplorerCore
import Foundation
import VAE
import XCTest

/// `s` in the explorer when the target cannot be written: one line, the model stays in memory, the
/// previous file stays intact and nothing is left behind.
final class SaveReportTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-save-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func save(to path: String) -> String {
        let model = TestModels.mlp(latentDim: 2)
        return SaveReport.attempt(path: path) {
            try WeightsFile.save(model, metadata: ModelMetadata(configuration: model.configuration), to: path)
        }
    }

    private func assertOneLine(_ message: String, starts prefix: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(message.hasPrefix(prefix), message, file: file, line: line)
        XCTAssertFalse(message.contains("\n"), message, file: file, line: line)
    }

    func testSavesAndReplacesAtomically() throws {
        let path = folder + "/model.safetensors"
        XCTAssertEqual(save(to: path), "Saved the weights to \(path)")
        XCTAssertEqual(save(to: path), "Saved the weights to \(path)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["model.safetensors"], "no temporary file left")
        XCTAssertNoThrow(try WeightsFile.load(path))
    }

    func testMissingFolder() {
        let message = save(to: folder + "/no/such/folder/model.safetensors")
        assertOneLine(message, starts: "Could not save to \(folder)/no/such/folder/model.safetensors: folder \(folder)/no/such/folder does not exist")
    }

    func testPathUnderARegularFile() throws {
        let file = folder + "/plain.txt"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: file))
        let message = save(to: file + "/model.safetensors")
        assertOneLine(message, starts: "Could not save to \(file)/model.safetensors: part of the path is a file, not a folder")
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "keep me")
    }

    func testTargetIsAFolder() throws {
        try FileManager.default.createDirectory(atPath: folder + "/model.safetensors", withIntermediateDirectories: false)
        assertOneLine(save(to: folder + "/model.safetensors"), starts: "Could not save to \(folder)/model.safetensors: it is a folder; name a file in it")
    }

    func testUnwritableFolderKeepsThePreviousFile() throws {
        let path = folder + "/model.safetensors"
        XCTAssertEqual(save(to: path), "Saved the weights to \(path)")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder) }
        guard access(folder, W_OK) != 0 else { throw XCTSkip("running as root: permissions do not stop writes") }
        assertOneLine(save(to: path), starts: "Could not save to \(path): folder \(folder) is not writable")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    /// A write that fails part way (a full disk): the error is one line and the old file stays.
    func testAFailingWriteKeepsThePreviousFileAndIsOneLine() throws {
        let path = folder + "/model.safetensors"
        XCTAssertEqual(save(to: path), "Saved the weights to \(path)")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        struct DiskFull: Error, CustomStringConvertible {
            var description: String { "write failed:\nNo space left on device" }
        }
        let message = SaveReport.attempt(path: path) { throw DiskFull() }
        XCTAssertEqual(message, "Could not save to \(path): write failed: No space left on device")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }
}
