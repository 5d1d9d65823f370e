import Foundation
import TestSupport
import XCTest
@testable import FileFormats

/// What a save may replace, and the temporary files a killed save leaves behind.
final class SavePolicyTests: XCTestCase {
    private func folder() -> String { (temporaryPath("x") as NSString).deletingLastPathComponent }

    private let weights = SafeTensors.encode(["x": Tensor(shape: [1], values: [1])], metadata: [:])

    func testAWeightsSaveReplacesOnlyAWeightsFileUnlessForced() throws {
        let folder = folder()
        let readme = folder + "/README.md"
        try Data("# notes\n".utf8).write(to: URL(fileURLWithPath: readme))
        XCTAssertThrowsError(try AtomicFile.write(weights, to: readme, replacing: .weightsOnly)) {
            XCTAssertEqual("\($0)", "not saving \(readme): it is a file that is not a weights file; name another file, or give --force to replace it")
        }
        XCTAssertThrowsError(try AtomicFile.checkWritable(readme, bytes: 10, replacing: .weightsOnly))
        XCTAssertEqual(try String(contentsOfFile: readme, encoding: .utf8), "# notes\n")
        // Through a symbolic link: the file it points to is what counts.
        try FileManager.default.createSymbolicLink(atPath: folder + "/model.safetensors", withDestinationPath: "README.md")
        XCTAssertThrowsError(try AtomicFile.write(weights, to: folder + "/model.safetensors", replacing: .weightsOnly)) {
            XCTAssertTrue("\($0)".contains("it is a symbolic link to a file that is not a weights file"), "\($0)")
        }
        XCTAssertEqual(try String(contentsOfFile: readme, encoding: .utf8), "# notes\n")
        // A weights file, a new file and --force are fine.
        try AtomicFile.write(weights, to: folder + "/new.safetensors", replacing: .weightsOnly)
        try AtomicFile.write(weights, to: folder + "/new.safetensors", replacing: .weightsOnly)
        try AtomicFile.write(weights, to: readme, replacing: .anything)
        XCTAssertEqual(FileManager.default.contents(atPath: readme).map { [UInt8]($0) }, weights)
        // A picture's save replaces only a picture.
        XCTAssertThrowsError(try AtomicFile.write([1], to: folder + "/new.safetensors", replacing: .pictureOnly))
        try AtomicFile.write(Array("<?xml version=\"1.0\"?><svg/>".utf8), to: folder + "/picture.svg")
        try AtomicFile.write([1], to: folder + "/picture.svg", replacing: .pictureOnly)
    }

    /// Pictures written as data (`.idx`, `.idx.gz`) replace IDX files, plain or gzipped, and nothing else.
    func testAPictureSaveReplacesIDXImagesButNotOtherGzipFiles() throws {
        let folder = folder()
        let idx = try IDXWriter.images([7], count: 1, rows: 1, columns: 1)
        try AtomicFile.write(idx, to: folder + "/g.idx")
        try AtomicFile.write(IDXWriter.gzip(idx), to: folder + "/g.idx.gz")
        try AtomicFile.write(IDXWriter.gzip(Array("notes\n".utf8)), to: folder + "/notes.gz")
        try AtomicFile.write(idx, to: folder + "/g.idx", replacing: .pictureOnly)
        try AtomicFile.write(idx, to: folder + "/g.idx.gz", replacing: .pictureOnly)
        XCTAssertThrowsError(try AtomicFile.write(idx, to: folder + "/notes.gz", replacing: .pictureOnly)) {
            XCTAssertEqual("\($0)", "not saving \(folder)/notes.gz: it is a file that is not a PNG or SVG picture or IDX images; name another file, or give --force to replace it")
        }
    }

    func testAKilledSavesTemporaryFileIsRemovedByTheNextSave() throws {
        let folder = folder()
        let target = folder + "/model.safetensors"
        // A process that no longer runs: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let stale = folder + "/.model.safetensors.tmp-\(child.processIdentifier)-1"
        let running = folder + "/.model.safetensors.tmp-1-1"   // init runs: never removed
        let other = folder + "/.other.safetensors.tmp-\(child.processIdentifier)-1"
        for path in [stale, running, other] { _ = FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])) }
        try AtomicFile.write(weights, to: target, replacing: .weightsOnly)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
        XCTAssertTrue(FileManager.default.fileExists(atPath: running))
        XCTAssertTrue(FileManager.default.fileExists(atPath: other))
    }
}
