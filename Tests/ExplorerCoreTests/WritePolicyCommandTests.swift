import Foundation
import TestSupport
import XCTest

/// The one write policy (`WritePolicy`), command by command: each output replaces only a file of its
/// own kind, and nothing is written into the shipped Weights/ without --force, by its path or through a
/// symbolic link into it. Every refusal is one line, exit status 1, with the file as it was.
final class WritePolicyCommandTests: TmuxTestCase {
    private var folder = ""
    private var shippedBefore: Data?

    /// The repository's Weights/, which the binary (built inside the repository) protects.
    private static let shippedFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Weights").path
    private var shipped: String { Self.shippedFolder + "/default.safetensors" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        _ = try ExplorerBinary.require()
        try XCTSkipUnless(FileManager.default.fileExists(atPath: shipped), "no shipped weights at \(shipped)")
        shippedBefore = try Data(contentsOf: URL(fileURLWithPath: shipped))
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-policy-\(UUID().uuidString)").path
        // A small data set, so that samples and compare are quick (the built-in synthetic set is large).
        try SyntheticLetterFolder.write(to: folder + "/data", trainCount: 260, testCount: 260, seed: 3)
    }

    override func tearDownWithError() throws {
        // A policy that failed must not leave the repository's shipped weights damaged.
        if let shippedBefore, (try? Data(contentsOf: URL(fileURLWithPath: shipped))) != shippedBefore {
            try shippedBefore.write(to: URL(fileURLWithPath: shipped))
            XCTFail("the shipped weights were replaced (restored from the copy taken before the test)")
        }
        try? FileManager.default.removeItem(atPath: folder)
        try super.tearDownWithError()
    }

    private let notes = Data("my notes, not a picture\n".utf8)

    /// Runs `arguments` with `out` appended after `--out` and expects a one-line refusal containing `expected`.
    private func expectRefusal(_ arguments: [String], out: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try ExplorerBinary.run(arguments + ["--out", out])
        XCTAssertEqual(run.status, 1, run.stderr, file: file, line: line)
        XCTAssertTrue(run.stderr.contains(expected), run.stderr, file: file, line: line)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr, file: file, line: line)
    }

    /// Each picture command and compare: a text file named like a picture stays; Weights/ stays
    /// untouched, named directly or through a link to a folder; --force replaces the text file.
    func testEveryPictureCommandAndCompareReplaceOnlyAPictureAndNeverWriteIntoWeights() throws {
        try FileManager.default.createSymbolicLink(atPath: folder + "/weights-link", withDestinationPath: Self.shippedFolder)
        let commands: [(String, [String])] = [
            ("grid", ["grid", "--weights", shipped, "--size", "3"]),
            ("interpolate", ["interpolate", "--weights", shipped, "--from", "0,0", "--to", "1,1", "--steps", "3"]),
            ("traverse", ["traverse", "--weights", shipped, "--steps", "3"]),
            ("samples", ["samples", "--data", folder + "/data", "--per-class", "1"]),
            ("compare", ["compare", shipped, "--data", folder + "/data", "--importance-samples", "1"]),
        ]
        for (name, arguments) in commands {
            for ext in ["png", "svg"] {
                let target = folder + "/\(name)-notes.\(ext)"
                try notes.write(to: URL(fileURLWithPath: target))
                try expectRefusal(arguments, out: target, "it is a file that is not a\(ext == "png" ? " PNG" : "n SVG") picture")
                XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), notes, "\(name) \(ext)")
            }
            for out in [Self.shippedFolder + "/\(name)-policy.png", folder + "/weights-link/\(name)-policy.png"] {
                try expectRefusal(arguments, out: out, "which holds the shipped weights; name a file elsewhere, or give --force")
                XCTAssertFalse(FileManager.default.fileExists(atPath: Self.shippedFolder + "/\(name)-policy.png"), name)
            }
            let forced = try ExplorerBinary.run(arguments + ["--out", folder + "/\(name)-notes.png", "--force"])
            XCTAssertEqual(forced.status, 0, "\(name): \(forced.stderr)")
            XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: folder + "/\(name)-notes.png")), notes, name)
            // A picture of its own kind is replaced without --force.
            let again = try ExplorerBinary.run(arguments + ["--out", folder + "/\(name)-notes.png"])
            XCTAssertEqual(again.status, 0, "\(name): \(again.stderr)")
        }
    }

    /// export: no folder is made in Weights/ (named directly or through a link) without --force, and our
    /// four files already in a folder are replaced only with --force.
    func testExportMakesNoFolderInWeightsAndReplacesItsFilesOnlyWithForce() throws {
        try FileManager.default.createSymbolicLink(atPath: folder + "/weights-link", withDestinationPath: Self.shippedFolder)
        let export = ["export", "--weights", shipped, "--data", folder + "/data"]
        let refusedFolder = Self.shippedFolder + "/projector-policy"
        XCTAssertFalse(FileManager.default.fileExists(atPath: refusedFolder))
        defer { try? FileManager.default.removeItem(atPath: refusedFolder) }  // what a failing policy would leave
        for out in [Self.shippedFolder + "/projector-policy", folder + "/weights-link/projector-policy"] {
            try expectRefusal(export, out: out, "which holds the shipped weights; name a file elsewhere, or give --force")
            XCTAssertFalse(FileManager.default.fileExists(atPath: refusedFolder))
        }
        let projector = folder + "/projector"
        try FileManager.default.createDirectory(atPath: projector, withIntermediateDirectories: false)
        try notes.write(to: URL(fileURLWithPath: projector + "/metadata.tsv"))
        try expectRefusal(export, out: projector, "it already holds metadata.tsv; name another folder, or give --force")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: projector + "/metadata.tsv")), notes)
        let forced = try ExplorerBinary.run(export + ["--out", projector, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: projector + "/metadata.tsv")), notes)
    }

    /// train --out: Weights/default.safetensors named as a new user would, a link to it, and a picture
    /// are refused before training; --force trains and writes.
    func testTrainNeverReplacesTheShippedWeightsOrAnotherKindOfFile() throws {
        let quick = ["train", "--data", folder + "/data", "--epochs", "1", "--hidden-size", "8"]
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.safetensors", withDestinationPath: shipped)
        try expectRefusal(quick, out: shipped, "it is in Weights/, which holds the shipped weights")
        try expectRefusal(quick, out: folder + "/link.safetensors", "it is in Weights/, which holds the shipped weights")
        let picture = folder + "/picture.safetensors"
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
        try png.write(to: URL(fileURLWithPath: picture))
        try expectRefusal(quick, out: picture, "it is a file that is not a weights file")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: picture)), png)
        let forced = try ExplorerBinary.run(quick + ["--out", picture, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertNotEqual(try Data(contentsOf: URL(fileURLWithPath: picture)), png)
    }

    /// The explorer's `s`: a --save-to that is a link to the shipped weights, or a text file, is not
    /// replaced even after the user agrees to replace it; the status line says why in one line.
    func testTheExplorersSaveKeepsOutOfWeightsAndReplacesOnlyWeights() throws {
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.safetensors", withDestinationPath: shipped)
        try notes.write(to: URL(fileURLWithPath: folder + "/notes.safetensors"))
        for (target, reason) in [("link.safetensors", "it is in Weights/, which holds the shipped weights"),
                                 ("notes.safetensors", "it is a file that is not a weights file")] {
            session.run(width: 200, height: 40, command: "cd \(TmuxSession.quoted(folder)) && env -u NO_COLOR -u LC_ALL TERM=tmux-256color LANG=C.UTF-8 "
                + "\(TmuxSession.quoted(ExplorerBinary.path)) --data synthetic --test-count 260 --save-to \(target); echo EXIT=$?; sleep 300")
            session.waitFor("the explorer to open") { $0.contains("Latent plane") && $0.contains("Decoded at cursor") }
            session.keys("s")
            session.waitFor("the question") { $0.contains("exists: replace it?") }
            session.keys("y")
            let screen = session.waitFor("the refusal") { $0.contains("Could not save to \(target): \(reason)") }
            XCTAssertFalse(screen.contains("Saved the weights"), screen)
            session.keys("q")
            XCTAssertTrue(session.waitFor("the exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
            session.kill()
            session = TmuxSession()
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder + "/notes.safetensors")), notes)
    }
}
