import Foundation
import XCTest

/// Never losing work, tried as a person would in tmux: `s` writes a new file (never into Weights/) and
/// asks before replacing one; q and Ctrl-C ask when trained weights are unsaved, a second Ctrl-C quits;
/// Esc steps back and never quits. And the tile size keys.
final class SaveAndQuitEndToEndTests: TmuxTestCase {
    private var folder = ""
    /// A short training run: one epoch on a few synthetic letters.
    private let quickTraining = "--data synthetic --test-count 260 --train-count 520 --epochs 1"

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = "/tmp/lxs-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
        super.tearDown()
    }

    /// Starts the explorer in the test's folder (where `s` writes its new files).
    private func start(_ arguments: String, width: Int = 120, height: Int = 40) {
        session.run(width: width, height: height, command: "cd \(TmuxSession.quoted(folder)) && env -u NO_COLOR -u LC_ALL TERM=tmux-256color LANG=C.UTF-8 "
            + "\(TmuxSession.quoted(ExplorerBinary.path)) \(arguments); echo EXIT=$?; sleep 300")
        session.waitFor("the explorer to open") { $0.contains("Latent plane") && $0.contains("Decoded at cursor") }
    }

    private func exitLine() -> String {
        session.waitFor("the program to exit") { $0.contains("EXIT=") }
    }

    private func savedFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".safetensors") }.sorted()
    }

    /// The repository's shipped weights (which the binary, built inside it, opens), which must stay as they are.
    private var shippedWeights: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Weights/default.safetensors").path
    }

    private func trainOneEpoch() {
        session.keys("t")
        session.waitFor("the epoch to end", timeout: 180) { $0.contains("done: 1 epoch; showing epoch 1's weights") }
    }

    func testSWritesANewFileNamedAfterTheModelAndNeverIntoWeights() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: shippedWeights), "no shipped weights at \(shippedWeights)")
        let before = try Data(contentsOf: URL(fileURLWithPath: shippedWeights))
        start("--data synthetic --test-count 260")
        session.keys("s")
        let saved = session.waitFor("the save") { $0.contains("Saved the weights to default-") }
        let files = try savedFiles()
        XCTAssertEqual(files.count, 1, "\(files)")
        XCTAssertNotNil(files.first?.range(of: #"^default-\d{8}-\d{6}\.safetensors$"#, options: .regularExpression), "\(files)")
        XCTAssertTrue(saved.contains("Saved the weights to \(files.first ?? "?")"), "the path is shown")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: shippedWeights)), before, "the shipped weights are untouched")
        session.keys("q")
        XCTAssertTrue(exitLine().contains("EXIT=0"), "nothing trained: q quits at once")

        // Naming a file in Weights/ is refused before the screen is taken.
        session.kill()
        session = TmuxSession()
        let weightsFolder = (shippedWeights as NSString).deletingLastPathComponent
        session.run(width: 160, height: 10, command: "env TERM=tmux-256color LANG=C.UTF-8 \(TmuxSession.quoted(ExplorerBinary.path)) "
            + "--data synthetic --test-count 260 --save-to \(TmuxSession.quoted(weightsFolder + "/mine.safetensors")); echo EXIT=$?; sleep 300")
        let refused = exitLine()
        XCTAssertTrue(refused.contains("Error: the explorer never writes into Weights/ (the shipped weights)"), refused)
        XCTAssertTrue(refused.contains("EXIT=1"), refused)
        XCTAssertFalse(FileManager.default.fileExists(atPath: weightsFolder + "/mine.safetensors"))
    }

    func testReplacingAnExistingFileAsksFirst() throws {
        let target = folder + "/mine.safetensors"
        // An earlier weights file (a save replaces only one: a header length, then a JSON object).
        let earlier = Data([2, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8))
        try earlier.write(to: URL(fileURLWithPath: target))
        start("--data synthetic --test-count 260 --save-to \(TmuxSession.quoted(target))")
        session.keys("s")
        session.waitFor("the question") { $0.contains("\(target) exists: replace it? y replaces · n keeps it") }
        session.keys("n")
        session.waitFor("the answer") { $0.contains("Nothing saved; the file is as it was") }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: target)), earlier)
        session.keys("s")
        session.waitFor("the question again") { $0.contains("exists: replace it?") }
        session.keys("x", "y")   // a key that answers nothing leaves the question open
        session.waitFor("the save") { $0.contains("Saved the weights to \(target)") }
        XCTAssertGreaterThan(try Data(contentsOf: URL(fileURLWithPath: target)).count, 100_000, "the weights replaced it")
        session.keys("q")
        XCTAssertTrue(exitLine().contains("EXIT=0"))
    }

    func testQWithUnsavedTrainingAsksSaveDiscardOrCancel() throws {
        start(quickTraining)
        trainOneEpoch()
        session.keys("q")
        session.waitFor("the question") { $0.contains("The trained weights are not saved: s save and quit · d discard and quit · c cancel") }
        session.keys("c")
        session.waitFor("cancelled") { $0.contains("Still here; s saves the weights") }
        session.keys("Escape")
        session.waitFor("Esc to explain, not quit") { $0.contains("q quits") }
        XCTAssertFalse(session.screen().contains("EXIT="))
        session.keys("q")
        session.waitFor("the question again") { $0.contains("The trained weights are not saved") }
        session.keys("s")
        let after = exitLine()
        XCTAssertTrue(after.contains("EXIT=0"), after)
        let files = try savedFiles()
        XCTAssertEqual(files.count, 1, "\(files)")
        XCTAssertTrue(after.contains("Saved the weights to \(files.first ?? "?")"), "the path is printed after the screen is restored:\n\(after)")
    }

    func testQThenDiscardQuitsWithoutSaving() throws {
        start(quickTraining)
        trainOneEpoch()
        session.keys("q")
        session.waitFor("the question") { $0.contains("The trained weights are not saved") }
        session.keys("d")
        XCTAssertTrue(exitLine().contains("EXIT=0"))
        XCTAssertEqual(try savedFiles(), [])
    }

    func testCtrlCAsksWithUnsavedTrainingAndTwiceQuits() throws {
        start(quickTraining)
        session.keys("C-c")
        XCTAssertTrue(exitLine().contains("EXIT=130"), "nothing trained: Ctrl-C quits at once")

        session.kill()
        session = TmuxSession()
        start(quickTraining)
        trainOneEpoch()
        session.keys("C-c")
        session.waitFor("the question") { $0.contains("The trained weights are not saved") && $0.contains("(Ctrl-C again quits)") }
        XCTAssertFalse(session.screen().contains("EXIT="))
        session.keys("C-c")
        XCTAssertTrue(exitLine().contains("EXIT=130"))
        XCTAssertEqual(try savedFiles(), [])
    }

    func testEscStepsBackAndNeverQuits() {
        start("--data synthetic --test-count 260")
        session.keys("b")
        session.waitFor("browsing") { $0.contains("Browse class") }
        session.keys("Escape")
        session.waitFor("back on the plane") { $0.contains("Decoded at cursor") && !$0.contains("Browse class") }
        session.keys("v")
        session.waitFor("the traversal") { $0.contains("Traversal of") }
        session.keys("Escape")
        session.waitFor("the traversal closed") { $0.contains("Latent plane") && !$0.contains("Traversal of") }
        session.keys("?")
        session.waitFor("the help") { $0.contains("Any key closes this help") }
        session.keys("Escape")
        session.waitFor("the help closed") { !$0.contains("Any key closes this help") }
        session.keys("Escape", "Escape")
        session.waitFor("Esc on the plane to explain itself") { $0.contains("Esc closes the traversal, the strip, browsing and the help; q quits") }
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertFalse(session.screen().contains("EXIT="), "Esc never quits")
        session.keys("q")
        XCTAssertTrue(exitLine().contains("EXIT=0"))
    }

    func testTileSizeKeysAndTheModifiedWheel() {
        start("--data synthetic --test-count 260", width: 200, height: 60)
        /// The widest run of letter cells on the plane: one tile's width.
        func tileWidth(_ screen: String) -> Int {
            screen.split(separator: "\n").dropFirst(2).prefix(40).map { line in
                String(line.prefix(139)).split(separator: " ").filter { $0.allSatisfy { $0 == "▀" } }.map(\.count).max() ?? 0
            }.max() ?? 0
        }
        let start = session.settled()
        XCTAssertEqual(tileWidth(start), 20, "the default at 200x60")
        session.keys(">")
        session.waitFor("larger tiles") { $0.contains("Tiles of 24x12 cells (< smaller, > larger)") }
        XCTAssertEqual(tileWidth(session.settled()), 24)
        session.keys("<", "<")
        session.waitFor("smaller tiles") { $0.contains("Tiles of 16x8 cells") }
        XCTAssertEqual(tileWidth(session.settled()), 16)
        session.literal("\u{1B}[<80;30;20M")   // Ctrl + wheel up over the plane
        session.waitFor("the wheel with Ctrl") { $0.contains("Tiles of 20x10 cells") }
        XCTAssertEqual(tileWidth(session.settled()), 20)
        session.keys("q")
        XCTAssertTrue(exitLine().contains("EXIT=0"))
    }
}
