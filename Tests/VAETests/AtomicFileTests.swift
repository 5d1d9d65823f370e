import Foundation
import TestSupport
import XCTest
@testable import FileFormats

/// Saving never loses the old file: every way a save can fail (no folder, a file in the way, a
/// full disk, a failed write, flush or rename) leaves the previous contents and no temporary file.
final class AtomicFileTests: XCTestCase {
    private var folder = ""
    private let old: [UInt8] = Array("the model that was there".utf8)
    private let new: [UInt8] = Array(repeating: 7, count: 100_000)

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-atomic-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    private func entries(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    func testWriteReplacesTheFileKeepingItsPermissionsAndLeavesNothingElse() throws {
        let path = folder + "/model.safetensors"
        try AtomicFile.write(old, to: path)
        XCTAssertEqual(contents(path), old)
        chmod(path, 0o600)
        try AtomicFile.write(new, to: path)
        XCTAssertEqual(contents(path), new)
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(entries(folder), ["model.safetensors"])
    }

    func testASymbolicLinkIsFollowed() throws {
        try FileManager.default.createDirectory(atPath: folder + "/runs", withIntermediateDirectories: true)
        try AtomicFile.write(old, to: folder + "/runs/best.safetensors")
        try FileManager.default.createSymbolicLink(atPath: folder + "/model.safetensors", withDestinationPath: "runs/best.safetensors")
        try AtomicFile.write(new, to: folder + "/model.safetensors")
        XCTAssertEqual(contents(folder + "/runs/best.safetensors"), new)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/model.safetensors"), "runs/best.safetensors")
        XCTAssertEqual(entries(folder + "/runs"), ["best.safetensors"])
    }

    func testPathsThatCannotBeSavedAreRefusedWithOneLine() throws {
        let file = folder + "/file"
        try AtomicFile.write(old, to: file)
        let cases: [(String, FileWriteError)] = [
            (folder + "/missing/m.safetensors", .missingFolder(path: folder + "/missing/m.safetensors", folder: folder + "/missing")),
            (file + "/m.safetensors", .notAFolder(path: file + "/m.safetensors")),
            (file + "/deeper/m.safetensors", .notAFolder(path: file + "/deeper/m.safetensors")),
            (folder, .isAFolder(path: folder)),
            ("/dev/null", .notARegularFile(path: "/dev/null")),
            ("", .notARegularFile(path: "")),
        ]
        for (path, expected) in cases {
            XCTAssertThrowsError(try AtomicFile.write(new, to: path), path) {
                XCTAssertEqual($0 as? FileWriteError, expected)
                XCTAssertFalse("\($0)".contains("\n"))
            }
            XCTAssertThrowsError(try AtomicFile.checkWritable(path, bytes: 10), path) {
                XCTAssertEqual($0 as? FileWriteError, expected)
            }
        }
        XCTAssertEqual(contents(file), old)
        XCTAssertEqual(entries(folder), ["file"])
        XCTAssertEqual(FileWriteError.missingFolder(path: "a/b", folder: "a").description, "cannot save a/b: folder a does not exist")
    }

    func testCheckWritableTouchesNothingAndKnowsTheFreeSpace() throws {
        let path = folder + "/m.safetensors"
        try AtomicFile.checkWritable(path, bytes: 1_000)
        XCTAssertEqual(entries(folder), [], "the probe file is removed")
        XCTAssertThrowsError(try AtomicFile.checkWritable(path, bytes: Int.max)) {
            guard case .diskFull(_, let needed, let available)? = $0 as? FileWriteError else { return XCTFail("\($0)") }
            XCTAssertEqual(needed, Int.max)
            XCTAssertGreaterThan(available ?? 0, 0)
        }
    }

    /// Each system call of a save, made to fail: the old file survives and no temporary file is left.
    func testInjectedFailuresLeaveTheOldFileAndNoTemporaryFile() throws {
        let path = folder + "/model.safetensors"
        try AtomicFile.write(old, to: path)
        var diskFillsUp = AtomicFile.SystemCalls()
        diskFillsUp.write = { descriptor, bytes, count in
            // The first 4 KB fit, then the disk is full.
            let room = 4_096 - Int(lseek(descriptor, 0, SEEK_CUR))
            guard room > 0 else { errno = ENOSPC; return -1 }
            return Foundation.write(descriptor, bytes, min(count, room))
        }
        var flushFails = AtomicFile.SystemCalls()
        flushFails.fsync = { _ in errno = EIO; return -1 }
        var renameFails = AtomicFile.SystemCalls()
        renameFails.rename = { _, _ in errno = EXDEV; return -1 }
        var readOnly = AtomicFile.SystemCalls()
        readOnly.open = { _, _, _ in errno = EROFS; return -1 }
        var interrupted = AtomicFile.SystemCalls()
        let writeCalls = LockedBox(0)
        interrupted.write = { descriptor, bytes, count in
            // EINTR is retried, a short write is continued.
            writeCalls.value += 1
            if writeCalls.value == 1 { errno = EINTR; return -1 }
            return Foundation.write(descriptor, bytes, min(count, 10_000))
        }

        let cases: [(AtomicFile.SystemCalls, FileWriteError)] = [
            (diskFillsUp, .diskFull(path: path, neededBytes: nil, availableBytes: nil)),
            (flushFails, .failed(path: path, operation: "flushing to disk", reason: String(cString: strerror(EIO)))),
            (renameFails, .failed(path: path, operation: "renaming into place", reason: String(cString: strerror(EXDEV)))),
            (readOnly, .notWritable(path: path, folder: folder, reason: String(cString: strerror(EROFS)))),
        ]
        for (calls, expected) in cases {
            XCTAssertThrowsError(try AtomicFile.write(new, to: path, using: calls)) {
                XCTAssertEqual($0 as? FileWriteError, expected)
            }
            XCTAssertEqual(contents(path), old, "\(expected)")
            XCTAssertEqual(entries(folder), ["model.safetensors"], "\(expected)")
        }
        try AtomicFile.write(new, to: path, using: interrupted)
        XCTAssertEqual(contents(path), new)
        XCTAssertEqual(writeCalls.value, 11, "one interrupted call, then ten short writes")
    }

    /// What a second Ctrl-C does during a save: the temporary file of the save in progress is removed,
    /// and the save cannot complete, so the old file stays.
    func testRemovingTemporaryFilesDuringASaveKeepsTheOldFile() throws {
        let path = folder + "/model.safetensors"
        try AtomicFile.write(old, to: path)
        var calls = AtomicFile.SystemCalls()
        let folder = self.folder
        let seenDuringWrite = LockedBox<[String]>([])
        calls.write = { descriptor, bytes, count in
            seenDuringWrite.value = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            AtomicFile.removeTemporaryFiles()
            return Foundation.write(descriptor, bytes, count)
        }
        XCTAssertThrowsError(try AtomicFile.write(new, to: path, using: calls))
        XCTAssertEqual(seenDuringWrite.value.count, 2, "the temporary file existed: \(seenDuringWrite.value)")
        XCTAssertTrue(seenDuringWrite.value.contains { $0.hasPrefix(".model.safetensors.tmp-") }, "\(seenDuringWrite.value)")
        XCTAssertEqual(contents(path), old)
        XCTAssertEqual(entries(folder), ["model.safetensors"])
    }

    /// A real full disk and a real read-only file system: a 64 KB tmpfs. Mounting needs root; elsewhere
    /// the injected failures above cover the same paths.
    func testRealFullAndReadOnlyFileSystem() throws {
        let mountPoint = folder + "/small"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        guard Shell.status("mount -t tmpfs -o size=64k tmpfs '\(mountPoint)' 2>/dev/null") == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (needs root); the injected failures cover this")
        }
        defer { _ = Shell.status("umount '\(mountPoint)'") }
        let path = mountPoint + "/model.safetensors"
        try AtomicFile.write(old, to: path)

        XCTAssertThrowsError(try AtomicFile.checkWritable(path, bytes: 200_000)) {
            guard case .diskFull(_, let needed, let available)? = $0 as? FileWriteError else { return XCTFail("\($0)") }
            XCTAssertEqual(needed, 200_000)
            XCTAssertLessThanOrEqual(available ?? .max, 64 << 10)
        }
        XCTAssertThrowsError(try AtomicFile.write(Array(repeating: 1, count: 200_000), to: path)) {
            XCTAssertEqual($0 as? FileWriteError, .diskFull(path: path, neededBytes: nil, availableBytes: nil))
            XCTAssertEqual("\($0)", "cannot save \(path): the disk is full")
        }
        XCTAssertEqual(contents(path), old)
        XCTAssertEqual(entries(mountPoint), ["model.safetensors"])

        XCTAssertEqual(Shell.status("mount -o remount,ro '\(mountPoint)'"), 0)
        let attempts: [() throws -> Void] = [{ try AtomicFile.write(self.new, to: path) }, { try AtomicFile.checkWritable(path, bytes: 10) }]
        for attempt in attempts {
            XCTAssertThrowsError(try attempt()) {
                XCTAssertEqual($0 as? FileWriteError, .notWritable(path: path, folder: mountPoint, reason: String(cString: strerror(EROFS))))
            }
        }
        XCTAssertEqual(contents(path), old)
    }

}

/// A value shared with a `@Sendable` closure in a test.
/// @unchecked Sendable: every access to `stored` is under `lock`.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
