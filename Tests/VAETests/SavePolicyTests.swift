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
        XCTAssertThrowsError(try AtomicFile.write(weights, to: readme, policy: .output(.weights, force: false))) {
            XCTAssertEqual("\($0)", "not saving \(readme): it is a file that is not a weights file; name another file, or give --force to replace it")
        }
        XCTAssertThrowsError(try AtomicFile.checkWritable(readme, bytes: 10, policy: .output(.weights, force: false)))
        XCTAssertEqual(try String(contentsOfFile: readme, encoding: .utf8), "# notes\n")
        // Through a symbolic link: the file it points to is what counts.
        try FileManager.default.createSymbolicLink(atPath: folder + "/model.safetensors", withDestinationPath: "README.md")
        XCTAssertThrowsError(try AtomicFile.write(weights, to: folder + "/model.safetensors", policy: .output(.weights, force: false))) {
            XCTAssertTrue("\($0)".contains("it is a symbolic link to a file that is not a weights file"), "\($0)")
        }
        XCTAssertEqual(try String(contentsOfFile: readme, encoding: .utf8), "# notes\n")
        // A weights file, a new file and --force are fine.
        try AtomicFile.write(weights, to: folder + "/new.safetensors", policy: .output(.weights, force: false))
        try AtomicFile.write(weights, to: folder + "/new.safetensors", policy: .output(.weights, force: false))
        try AtomicFile.write(weights, to: readme, policy: .anything)
        XCTAssertEqual(FileManager.default.contents(atPath: readme).map { [UInt8]($0) }, weights)
        // A picture's save replaces only a picture of its format.
        XCTAssertThrowsError(try AtomicFile.write([1], to: folder + "/new.safetensors", policy: .output(.png, force: false)))
        try AtomicFile.write(Array("<?xml version=\"1.0\"?><svg/>".utf8), to: folder + "/picture.svg")
        try AtomicFile.write([1], to: folder + "/picture.svg", policy: .output(.svg, force: false))
        XCTAssertThrowsError(try AtomicFile.write([1], to: folder + "/picture.svg", policy: .output(.png, force: false)))
    }

    /// Each kind is recognised by its content, and only its own (an empty file holds nothing to lose).
    func testEachOutputKindRecognisesOnlyItsOwnFiles() {
        var idxHeader: [UInt8] = [0, 0, 8, 3]
        idxHeader += [0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28]
        let samples: [OutputKind: [UInt8]] = [
            .weights: weights, .png: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0],
            .svg: Array("\u{FEFF}  <svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8), .idx: idxHeader, .idxGzip: IDXWriter.gzip(idxHeader),
        ]
        let others: [[UInt8]] = [Array("# README\n".utf8), Array("label,pixels\n".utf8), [0, 0, 0, 0], IDXWriter.gzip(Array("notes\n".utf8))]
        for kind in OutputKind.allCases {
            XCTAssertTrue(kind.recognises([]), "\(kind): an empty file")
            for (sampleKind, bytes) in samples { XCTAssertEqual(kind.recognises(bytes), sampleKind == kind, "\(kind) on a \(sampleKind) file") }
            for bytes in others { XCTAssertFalse(kind.recognises(bytes), "\(kind) on \(bytes.prefix(8))") }
        }
    }

    /// Nothing is written into a protected folder (the shipped Weights/) without force: not by its path,
    /// a relative path, a symbolic link to a file in it, or a path through a symbolic link to it.
    func testNothingIsWrittenIntoAProtectedFolderWithoutForce() throws {
        let root = folder()
        let shipped = root + "/Weights"
        try FileManager.default.createDirectory(atPath: shipped, withIntermediateDirectories: true)
        try AtomicFile.write(weights, to: shipped + "/default.safetensors")
        try FileManager.default.createSymbolicLink(atPath: root + "/link.safetensors", withDestinationPath: "Weights/default.safetensors")
        try FileManager.default.createSymbolicLink(atPath: root + "/folder-link", withDestinationPath: shipped)
        let policy = WritePolicy(kind: .weights, force: false, protectedFolders: [shipped])
        let other = SafeTensors.encode(["y": Tensor(shape: [1], values: [2])], metadata: [:])
        for path in [shipped + "/default.safetensors", shipped + "/new.safetensors", root + "/link.safetensors",
                     root + "/folder-link/default.safetensors", root + "/folder-link/../Weights/new.safetensors"] {
            XCTAssertThrowsError(try AtomicFile.write(other, to: path, policy: policy), path) {
                XCTAssertEqual("\($0)", "not saving \(path): it is in Weights/, which holds the shipped weights; name a file elsewhere, or give --force to write there")
            }
            XCTAssertThrowsError(try AtomicFile.checkWritable(path, bytes: 10, policy: policy), path)
        }
        XCTAssertEqual(FileManager.default.contents(atPath: shipped + "/default.safetensors").map { [UInt8]($0) }, weights)
        XCTAssertFalse(FileManager.default.fileExists(atPath: shipped + "/new.safetensors"))
        try AtomicFile.write(other, to: root + "/elsewhere.safetensors", policy: policy)
        var forced = policy
        forced.force = true
        try AtomicFile.write(other, to: root + "/link.safetensors", policy: forced)
        XCTAssertEqual(FileManager.default.contents(atPath: shipped + "/default.safetensors").map { [UInt8]($0) }, other)
    }

    /// Pictures written as data (`.idx`, `.idx.gz`) replace IDX files, plain or gzipped, and nothing else.
    func testAPictureSaveReplacesIDXImagesButNotOtherGzipFiles() throws {
        let folder = folder()
        let idx = try IDXWriter.images([7], count: 1, rows: 1, columns: 1)
        try AtomicFile.write(idx, to: folder + "/g.idx")
        try AtomicFile.write(IDXWriter.gzip(idx), to: folder + "/g.idx.gz")
        try AtomicFile.write(IDXWriter.gzip(Array("notes\n".utf8)), to: folder + "/notes.gz")
        try AtomicFile.write(idx, to: folder + "/g.idx", policy: .output(.idx, force: false))
        try AtomicFile.write(IDXWriter.gzip(idx), to: folder + "/g.idx.gz", policy: .output(.idxGzip, force: false))
        XCTAssertThrowsError(try AtomicFile.write(IDXWriter.gzip(idx), to: folder + "/notes.gz",
                                                  policy: .output(.idxGzip, force: false))) {
            XCTAssertTrue("\($0)".contains("is a file that is not gzipped IDX data"), "\($0)")
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
        try AtomicFile.write(weights, to: target, policy: .output(.weights, force: false))
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
        XCTAssertTrue(FileManager.default.fileExists(atPath: running))
        XCTAssertTrue(FileManager.default.fileExists(atPath: other))
    }
}
