import Foundation
import VAE
import XCTest

/// A conditional VAE in the real explorer, driven in tmux: the style plane's letter key changes the
/// title and every tile, the word line writes typed text in the cursor's style and redraws it as the
/// cursor moves, and `--compare` shows a plain VAE beside the style plane.
final class StylePlaneEndToEndTests: TmuxTestCase {
    /// The shipped conditional VAE (what a user opens), or, in a checkout without it, a CVAE of the
    /// test MLP's size trained briefly on synthetic letters (once per test process).
    private func cvaeWeights() throws -> String {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Weights/letters-cvae-2d.safetensors").path
        if FileManager.default.fileExists(atPath: shipped) { return shipped }
        return try TestModels.weightsFile(ModelConfiguration.cvae(hiddenSize: TestModels.mlpHiddenSize, latentDim: 2))
    }

    private func open(_ arguments: String) {
        session.start(width: 120, height: 40, arguments: arguments + " --data synthetic --test-count 520", environment: ["NO_COLOR": "1"])
    }

    /// The plane pane's rows (below the title bar, left of the side pane), as text.
    private func plane(_ screen: String) -> String {
        screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().prefix(27).map { String($0.prefix(88)) }
            .joined(separator: "\n")
    }

    private func quit() {
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    func testALetterKeyChangesTheTitleAndEveryTile() throws {
        open("--weights \(TmuxSession.quoted(try cvaeWeights()))")
        let start = session.waitFor("the style plane") { $0.contains("Style plane of '") && $0.contains("Alphabet in this style") }
        session.keys("'", "o")
        let o = session.waitFor("the plane of 'o'") { $0.contains("Style plane of 'o'") }
        XCTAssertTrue(o.contains("The plane draws 'o' in every style"), o)
        let oPlane = plane(session.settled())
        session.keys("'", "L")
        session.waitFor("the plane of 'l' (L folded)") { $0.contains("Style plane of 'l'") }
        let lPlane = plane(session.settled())
        XCTAssertNotEqual(oPlane, lPlane, "the tiles change with the letter")
        // Tile by tile: most tiles differ between the o's and the l's.
        let changedRows = zip(oPlane.split(separator: "\n"), lPlane.split(separator: "\n")).filter { $0 != $1 }.count
        XCTAssertGreaterThan(changedRows, 10, "\(oPlane)\n---\n\(lPlane)")
        session.keys("n")
        session.waitFor("n steps to 'm'") { $0.contains("Style plane of 'm'") }
        session.keys("N", "N")
        session.waitFor("N N steps back to 'k'") { $0.contains("Style plane of 'k'") }
        XCTAssertFalse(start.isEmpty)
        quit()
    }

    func testTheWordLineWritesTypedTextInTheCursorsStyle() throws {
        open("--weights \(TmuxSession.quoted(try cvaeWeights()))")
        session.waitFor("the style plane") { $0.contains("Style plane of '") }
        session.keys("w")
        session.waitFor("the word line") { $0.contains("Written in the style at the cursor: type a word") }
        session.literal("hello q")
        let typed = session.waitFor("the typed word") { $0.contains("Written in the style at the cursor: hello q▏") }
        XCTAssertTrue(typed.contains("Enter keeps"), typed)
        let stripTop = try XCTUnwrap(typed.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0.contains("Written in the style at the cursor") })
        func strip(_ screen: String) -> String {
            screen.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(stripTop + 1).prefix(4)
                .map { String($0.prefix(88)) }.joined(separator: "\n")
        }
        let before = strip(session.settled())
        XCTAssertGreaterThan(before.filter { !" │".contains($0) }.count, 20, "the letters have ink:\n\(before)")
        session.keys("Right", "Right", "Right", "Right", "Right", "Right", "Up", "Up", "Up", "Up")
        session.waitFor("the word redrawn in another style") { strip($0) != before }
        session.keys("Enter")
        session.waitFor("the word kept") { $0.contains("Written in the style at the cursor: hello q · w edits") }
        session.keys("Escape")
        session.waitFor("the word line closed") { !$0.contains("Written in the style at the cursor") }
        quit()
    }

    func testComparePlainAndConditionalSideBySide() throws {
        let plain = try TestModels.weightsFile(latentDim: 2)
        session.start(width: 140, height: 40,
                      arguments: "--weights \(TmuxSession.quoted(plain)) --compare \(TmuxSession.quoted(try cvaeWeights())) --data synthetic --test-count 520",
                      environment: ["NO_COLOR": "1"])
        // The CVAE's pane is a style plane (its heading names the letter); the plain model's is not.
        let screen = session.waitFor("two panes") { $0.contains("▶A mlp-2d · crowding") && $0.contains(" B ") && $0.contains("cvae-2d style of 'a'") }
        let panes = { (screen: String) in screen.split(separator: "\n").dropFirst(2).prefix(30).map { ($0.prefix(54), $0.dropFirst(54).prefix(54)) } }
        let before = panes(session.settled())
        session.keys("'", "x")
        session.waitFor("the CVAE pane draws x") { $0.contains("cvae-2d style of 'x'") }
        let after = panes(session.settled())
        XCTAssertEqual(before.map { String($0.0) }, after.map { String($0.0) }, "the plain model's pane does not change")
        XCTAssertNotEqual(before.map { String($0.1) }, after.map { String($0.1) }, "the CVAE's tiles change with the letter")
        XCTAssertFalse(screen.contains("Alphabet in this style"), "the plain model's side pane has the focus:\n\(screen)")
        session.keys("Tab")
        let focused = session.waitFor("the focus on the CVAE") { $0.contains(" A mlp-2d") && $0.contains("▶B") && $0.contains("cvae-2d style of 'x'") }
        XCTAssertTrue(focused.contains("Alphabet in this style"), "the side pane is the CVAE's:\n\(focused)")
        quit()
    }
}
