import Foundation
import XCTest

/// `explore --compare`: the plane split into panes, one cursor moving in all, Tab moving the focus,
/// and models of different latent sizes each on their own PCA plane; driven in tmux.
final class CompareExplorerEndToEndTests: TmuxTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-compare-explorer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: folder)
        super.tearDown()
    }

    /// The columns of the cursor mark on the screen row that holds it in both panes (nil if it is not
    /// in two panes on one row).
    private func cursorColumns(_ screen: String) -> [Int]? {
        for line in screen.split(separator: "\n") {
            let columns = line.enumerated().filter { $0.element == "✛" }.map(\.offset)
            if columns.count == 2 { return columns }
        }
        return nil
    }

    private func open(_ main: String, compare: String) {
        session.start(width: 140, height: 40,
                      arguments: "--weights \(TmuxSession.quoted(main)) --compare \(TmuxSession.quoted(compare)) --data synthetic --test-count 520",
                      environment: ["NO_COLOR": "1"])
    }

    func testOneCursorMovesInBothPanesAndTabMovesTheFocus() throws {
        let main = try TestModels.weightsFile(latentDim: 2)
        let other = folder + "/other.safetensors"
        try FileManager.default.copyItem(atPath: main, toPath: other)
        open(main, compare: other)
        let start = session.waitFor("two panes") { $0.contains("▶A mlp-2d") && $0.contains(" B other") && self.cursorColumns($0) != nil }
        XCTAssertTrue(start.contains("2 models side by side"), start)
        let before = try XCTUnwrap(cursorColumns(start))

        session.keys("l")   // one tile: the arrows step a tile
        let moved = session.waitFor("the cursor to move in both panes") { screen in
            guard let now = self.cursorColumns(screen) else { return false }
            return now[0] > before[0] && now[1] > before[1]
        }
        let after = try XCTUnwrap(cursorColumns(moved))
        XCTAssertEqual(after[0] - before[0], after[1] - before[1], "the same step in both panes")

        session.keys("Tab")
        let focused = session.waitFor("the focus on B") { $0.contains(" A mlp-2d") && $0.contains("▶B other") }
        XCTAssertTrue(focused.contains("Focus on other: browse, t and s act on it"), focused)
        session.keys("h")
        let back = session.waitFor("the cursor to move again in both") { screen in
            guard let now = self.cursorColumns(screen) else { return false }
            return now[0] < after[0] && now[1] < after[1]
        }
        XCTAssertNotNil(cursorColumns(back))
        session.keys("Tab")
        session.waitFor("the focus back on A") { $0.contains("▶A mlp-2d") && $0.contains(" B other") }
        // Browsing a class marks its letter in every pane.
        session.keys("b", "e")
        let browsing = session.waitFor("the browsed letter in both panes") { $0.filter { $0 == "◆" }.count == 2 }
        XCTAssertEqual(browsing.filter { $0 == "◆" }.count, 2, browsing)
        session.keys("Escape")
        session.waitFor("the plane again") { $0.filter { $0 == "◆" }.isEmpty }
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    func testDifferentLatentSizesUseEachModelsPCAPlane() throws {
        open(try TestModels.weightsFile(latentDim: 2), compare: try TestModels.weightsFile(latentDim: 16))
        let screen = session.waitFor("two panes") { $0.contains("▶A mlp-2d") && $0.contains(" B mlp-16d") }
        XCTAssertTrue(screen.contains("Latent sizes differ (z=2, z=16): each pane shows its model's own PCA plane"), screen)
        XCTAssertNotNil(cursorColumns(screen), "the cursor in both panes")
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }
}
