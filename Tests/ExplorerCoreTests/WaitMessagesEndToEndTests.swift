import Foundation
import TestSupport
import XCTest

/// Every wait says what it is waiting for: `compare`'s scoring on standard error, and the
/// `./latent-explorer` launcher while another build holds SwiftPM's lock.
final class WaitMessagesEndToEndTests: TmuxTestCase {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testCompareSaysWhatItIsScoring() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-wait-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try SyntheticLetterFolder.write(to: folder, trainCount: 520, testCount: 1_040, seed: 8)
        let weights = Self.repository.appendingPathComponent("Weights/default.safetensors").path
        // Standard output goes to a file: the status line is on standard error, the terminal.
        session.run(width: 160, height: 10, command: "env -u NO_COLOR " + TmuxSession.quoted(ExplorerBinary.path)
                    + " compare \(TmuxSession.quoted(weights)) --data \(TmuxSession.quoted(folder)) > /dev/null; echo EXIT=$?; sleep 300")
        let status = session.waitFor("compare's status line") { $0.contains("Scoring model 1 of 1: the") }
        // How far it is: the steps done of all (the likelihood bound moves it as its images are done).
        XCTAssertNotNil(status.range(of: #"\] [0-9]+/[0-9]+ "#, options: .regularExpression), "how many of the steps are done:\n\(status)")
        let done = session.waitFor("compare to end") { $0.contains("EXIT=") }
        XCTAssertTrue(done.contains("EXIT=0"), done)
        XCTAssertFalse(done.contains("Scoring"), "the status line is erased at the end:\n\(done)")
    }

    /// A copy of the launcher in a folder of its own, with stand-ins for the dependency script and for
    /// `swift`, so that nothing is installed or built: it shows only what the launcher prints first.
    func testTheLauncherSaysWhenAnotherBuildHoldsTheLock() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-launch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for sub in ["scripts", ".build", "bin"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let launcher = folder.appendingPathComponent("latent-explorer")
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("latent-explorer"), to: launcher)
        try "#!/bin/sh\nexit 0\n".write(to: folder.appendingPathComponent("scripts/install-dependencies.sh"), atomically: true, encoding: .utf8)
        try "#!/bin/sh\necho \"stand-in swift $*\"\nexit 3\n".write(to: folder.appendingPathComponent("bin/swift"), atomically: true, encoding: .utf8)
        for script in ["scripts/install-dependencies.sh", "bin/swift"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent(script).path)
        }
        let lock = folder.appendingPathComponent(".build/.lock").path
        XCTAssertTrue(FileManager.default.createFile(atPath: lock, contents: Data("1\n".utf8)))
        let run = "PATH=\(TmuxSession.quoted(folder.appendingPathComponent("bin").path)):$PATH \(TmuxSession.quoted(launcher.path))"

        session.run(width: 160, height: 10, command: "\(run); echo EXIT=$?; sleep 300")
        let free = session.waitFor("the launcher without a lock held") { $0.contains("EXIT=") }
        XCTAssertFalse(free.contains("waiting for another build"), free)
        XCTAssertTrue(free.contains("stand-in swift build -c release"), free)

        session.kill()
        session = TmuxSession()
        // flock holds the lock, as a build would, for the launcher's whole run.
        session.run(width: 160, height: 10, command: "flock \(TmuxSession.quoted(lock)) sh -c \(TmuxSession.quoted("\(run); echo EXIT=$?")); sleep 300")
        let held = session.waitFor("the launcher to end") { $0.contains("EXIT=") }
        XCTAssertTrue(held.contains("latent-explorer: waiting for another build of this package to finish"), held)
    }
}
