import Foundation
import TestSupport
import XCTest

/// The explorer on difficult terminals: no cursor addressing, an unknown type, no UTF-8, sizes down
/// to 1x1 and resizes in quick succession; and `s` when the target cannot be written.
final class TerminalEndToEndTests: TmuxTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = "/tmp/lxt-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
        super.tearDown()
    }

    /// The screen's non-blank lines after the program ended.
    private func linesAfterExit() -> [String] {
        session.waitFor("the program to exit") { $0.contains("EXIT=") }
            .split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    func testDumbUnknownAndMissingTERMAreOneLineErrors() {
        let cases: [(term: String?, message: String)] = [
            ("dumb", "Error: TERM=dumb cannot move the cursor, and the explorer draws a full screen: run it in a terminal such as xterm-256color"),
            ("no-such-terminal", "Error: unknown terminal type TERM=no-such-terminal: install its terminfo entry or use e.g. TERM=xterm-256color"),
            ("", "Error: TERM is not set: the explorer needs to know the terminal type (e.g. TERM=xterm-256color)"),
        ]
        for (term, message) in cases {
            session.kill()
            session = TmuxSession()
            session.start(width: 140, height: 20, arguments: "--data synthetic --test-count 260", environment: ["TERM": term ?? ""])
            XCTAssertEqual(linesAfterExit(), [message, "EXIT=1"], "TERM=\(term ?? "")")
        }
    }

    func testCLocaleFallsBackToASCII() {
        session.start(width: 120, height: 40, arguments: "--data synthetic --test-count 260", environment: ["LANG": "C"])
        let screen = session.waitFor("the explorer in ASCII") { $0.contains("+- Latent plane") }
        session.keys("o", "m", "L", "i")
        let strip = session.waitFor("the strip") { $0.contains("+- Interpolation, 9 steps") }
        session.keys("?")
        let later = session.waitFor("the help over the scatter and strip") { $0.contains("Keys") }
        for text in [screen, strip, later] {
            let foreign = text.unicodeScalars.filter { !$0.isASCII }
            XCTAssertTrue(foreign.isEmpty, "only ASCII in a C locale, not \(foreign.map { String(format: "U+%04X", $0.value) }):\n\(text)")
        }
        session.keys("q", "q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    func testRapidResizesDownToOneByOne() {
        session.start(width: 120, height: 40, arguments: "--data synthetic --test-count 260")
        session.waitFor("the explorer to open") { $0.contains("Latent plane") }
        session.keys("o", "m", "v")
        session.waitFor("the traversal before the resizes") { $0.contains("Traversal of the cursor") }
        let sizes = [(1, 1), (200, 60), (80, 24), (2, 50), (79, 24), (300, 3), (1, 1), (81, 25), (1, 80), (150, 45), (3, 2)]
        for _ in 0 ..< 3 {
            for (width, height) in sizes { session.resize(width: width, height: height) }
        }
        session.resize(width: 1, height: 1)
        Thread.sleep(forTimeInterval: 1)      // a 1x1 screen has no room for anything, not even the notice
        XCTAssertFalse(session.screen().contains("EXIT="), "still running at 1x1")
        session.resize(width: 80, height: 10)
        session.waitFor("the notice") { $0.hasPrefix("Terminal too small (80x10): enlarge it to at least 80x24") }
        session.resize(width: 120, height: 40)
        let restored = session.waitFor("the full layout again") { $0.contains("Traversal of the cursor") && $0.contains("Decoded at cursor") }
        XCTAssertFalse(restored.contains("Terminal too small"), restored)
        session.keys("v", "0", "Right")
        session.waitFor("keys to work after the resizes") { $0.contains("z1 +1.50  z2 +0.00") }
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    func testSaveToAMissingFolderIsOneLineAndTheExplorerKeepsRunning() {
        let target = folder + "/no/such/folder/model.safetensors"
        session.start(width: 160, height: 40, arguments: "--data synthetic --test-count 260 --save-to \(TmuxSession.quoted(target))")
        session.waitFor("the explorer to open") { $0.contains("Latent plane") }
        session.keys("0", "s")
        let failed = session.waitFor("the save to fail") { $0.contains("Could not save") }
        let status = failed.split(separator: "\n", omittingEmptySubsequences: false)[38]
        XCTAssertEqual(status.trimmingCharacters(in: .whitespaces), "Could not save to \(target): folder \(folder)/no/such/folder does not exist")
        session.keys("Right")
        session.waitFor("the explorer to go on") { $0.contains("z1 +1.50  z2 +0.00") && !$0.contains("Could not save") }
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    /// A full disk, made by a file-size limit (SIGXFSZ ignored, so the write fails with EFBIG): the
    /// previous weights stay byte for byte, no temporary file is left, the explorer goes on.
    func testSaveThatRunsOutOfSpaceKeepsThePreviousFile() throws {
        let target = folder + "/model.safetensors"
        let weights = try TestModels.weightsFile(latentDim: 2)
        try FileManager.default.copyItem(atPath: weights, toPath: target)
        let before = try Data(contentsOf: URL(fileURLWithPath: target))
        let limitBlocks = 64   // 32 KB, far less than the weights
        session.run(width: 160, height: 40, command: "trap '' XFSZ; ulimit -f \(limitBlocks); env -u NO_COLOR TERM=tmux-256color LANG=C.UTF-8 "
            + "\(TmuxSession.quoted(ExplorerBinary.path)) --weights \(TmuxSession.quoted(target)) --save-to \(TmuxSession.quoted(target)) "
            + "--data synthetic --test-count 260; echo EXIT=$?; sleep 300")
        session.waitFor("the explorer to open") { $0.contains("Latent plane") }
        session.keys("0", "s")
        session.waitFor("the question before replacing") { $0.contains("exists: replace it?") }
        session.keys("y")
        let failed = session.waitFor("the save to fail") { $0.contains("Could not save to \(target): ") }
        XCTAssertEqual(failed.components(separatedBy: "Could not save").count, 2, "one line")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), before, "the previous file is intact")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["model.safetensors"], "no temporary file left")
        session.keys("Right")
        session.waitFor("the explorer to go on") { $0.contains("z1 +1.50  z2 +0.00") }
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    /// The partial real EMNIST copy (test letters sorted by class): every class can be browsed, and
    /// the scatter shows letters of all of them.
    func testPartialEMNISTEveryClassBrowsesAndScatters() throws {
        let data = try RealDataFolder.partialLetters()
        let absolute = URL(fileURLWithPath: data).standardizedFileURL.path
        session.start(width: 120, height: 40, arguments: "--data \(TmuxSession.quoted(absolute))", environment: ["NO_COLOR": "1"])
        session.waitFor("the explorer to open") { $0.contains("Latent plane") }
        session.keys("b")
        for letter in ["h", "m", "z", "t"] {
            session.keys(letter)
            session.waitFor("class \(letter)") { $0.contains("Browse class '\(letter)'") }
        }
        XCTAssertTrue(session.screen().contains("letter 1 of 1 "), "one t in the partial copy")
        session.keys("Tab", "0", "o", "-")   // from the origin at the default zoom
        let scatter = session.waitFor("the scatter") { $0.contains("· test letters") }
        let lines = scatter.split(separator: "\n", omittingEmptySubsequences: false)
        let legend = try XCTUnwrap(lines.firstIndex { $0.contains(" a b c d e f g h i j k l m n o p q r s t u v w x y z ") },
                                   "the legend names every class: \(scatter)")
        let plane = lines[2 ..< legend].map { $0.dropFirst().prefix(86) }.joined()
        let shown = Set(plane.filter { ("a" ... "z").contains($0) })
        // Every class, the seven with one test letter each included (a dot weighs 1 / its class's size,
        // so a lone letter is not outvoted in a shared cell).
        XCTAssertEqual(shown, Set("abcdefghijklmnopqrstuvwxyz"), "classes on the plane: \(shown.sorted())")
    }
}
