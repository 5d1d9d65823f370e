import Foundation
import XCTest

/// On the real screen, the cursor's ✛ stands in the middle of the framed tile after zooming, moving,
/// clicking and resizing: never on the frame's edge or corner.
final class CursorFrameEndToEndTests: TmuxTestCase {
    /// The ✛'s cell and the frame around it (left, right columns; top, bottom rows), found by walking
    /// out from the ✛ to the frame's lines; nil when there is no ✛ or no frame around it.
    static func cursorAndFrame(_ screen: String) -> (row: Int, column: Int, frame: (left: Int, right: Int, top: Int, bottom: Int))? {
        let grid = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        guard let row = grid.firstIndex(where: { $0.contains("✛") }), let column = grid[row].firstIndex(of: "✛") else { return nil }
        func at(_ r: Int, _ c: Int) -> Character { r >= 0 && r < grid.count && c >= 0 && c < grid[r].count ? grid[r][c] : " " }
        var left = column - 1, right = column + 1, top = row - 1, bottom = row + 1
        while left > 0 && at(row, left) != "│" { left -= 1 }
        while right < grid[row].count && at(row, right) != "│" { right += 1 }
        while top > 0 && at(top, column) != "─" { top -= 1 }
        while bottom < grid.count && at(bottom, column) != "─" { bottom += 1 }
        guard at(top, left) == "╭", at(top, right) == "╮", at(bottom, left) == "╰", at(bottom, right) == "╯" else { return nil }
        return (row, column, (left, right, top, bottom))
    }

    private func assertCursorCentredInItsFrame(_ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let screen = session.settled()
        guard let found = Self.cursorAndFrame(screen) else {
            return XCTFail("\(what): no ✛ inside a tile's frame:\n\(screen)", file: file, line: line)
        }
        let (left, right, top, bottom) = found.frame
        XCTAssertLessThanOrEqual(abs(2 * found.column - (left + right)), 1, "\(what): ✛ centred across its frame:\n\(screen)", file: file, line: line)
        XCTAssertLessThanOrEqual(abs(2 * found.row - (top + bottom)), 1, "\(what): ✛ centred down its frame:\n\(screen)", file: file, line: line)
    }

    func testTheCursorStaysInTheMiddleOfTheFramedTile() {
        session.start(width: 120, height: 40, arguments: "--data synthetic --test-count 260")
        session.waitFor("the grid") { Self.cursorAndFrame($0) != nil && $0.contains("Decoded at cursor") }
        assertCursorCentredInItsFrame("start")
        session.keys("+", "+")
        assertCursorCentredInItsFrame("zoomed in")
        session.keys("Right", "Up", "Up", "S-Left")
        assertCursorCentredInItsFrame("moved")
        session.click(column: 23, row: 13)
        assertCursorCentredInItsFrame("clicked")
        session.keys("-")
        assertCursorCentredInItsFrame("zoomed out")
        session.resize(width: 200, height: 60)
        assertCursorCentredInItsFrame("enlarged to 200x60")
        session.resize(width: 80, height: 24)
        assertCursorCentredInItsFrame("shrunk to 80x24")
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }
}
