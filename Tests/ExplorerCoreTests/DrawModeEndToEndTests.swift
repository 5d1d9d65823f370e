import ExplorerCore
import Foundation
import XCTest

/// Draw mode on the real screen: a stroke drawn with xterm's SGR mouse reports (a press, motion with
/// the button held, a release), as tmux and xterm send them, gives a verdict in the side pane and a
/// marker on the plane; Enter goes there and Esc keeps the drawing.
final class DrawModeEndToEndTests: TmuxTestCase {
    func testAStrokeDrawnWithTheMouseGivesAVerdict() throws {
        let (width, height) = (120, 40)
        // Without colour the pixels are shades (░▒▓█), so the ink on the canvas can be read as text.
        session.start(width: width, height: height, arguments: "--data synthetic --test-count 520", environment: ["NO_COLOR": "1"])
        session.waitFor("the explorer") { $0.contains("Decoded at cursor") && $0.contains("looks like: ") }
        session.keys("d")
        session.waitFor("draw mode") { $0.contains("Draw a letter on the canvas") && $0.contains("mouse: draw") }

        // The canvas where the explorer puts it (idle training: a one-line panel).
        let layout = try XCTUnwrap(Layout(width: width, height: height, trainingExpanded: false, showsCanvas: true))
        let area = CanvasGeometry(pane: try XCTUnwrap(layout.canvas)).area
        // An "o": a ring of motion reports round the canvas's middle, one a few degrees, then a release.
        func cell(_ angle: Double) -> (column: Int, row: Int) {
            let x = Double(area.x) + Double(area.width) * (0.5 + 0.3 * cos(angle))
            let y = Double(area.y) + Double(area.height) * (0.5 + 0.35 * sin(angle))
            return (Int(x), Int(y))
        }
        let start = cell(0)
        session.literal("\u{1B}[<0;\(start.column + 1);\(start.row + 1)M")
        for step in 1 ... 36 {
            let point = cell(Double(step) * 2 * .pi / 36)
            session.literal("\u{1B}[<32;\(point.column + 1);\(point.row + 1)M")
        }
        session.literal("\u{1B}[<0;\(start.column + 1);\(start.row + 1)m")

        let screen = session.waitFor("a verdict on the drawing") {
            $0.range(of: #"looks like: [a-z] \(\d of 5"#, options: .regularExpression) != nil && $0.contains("u undo")
        }
        XCTAssertTrue(screen.contains("nearest test letters:") && screen.contains("prepared"), screen)
        XCTAssertTrue(screen.contains("✎"), "the drawing's code is marked on the plane:\n\(screen)")
        // The motion reports drew a ring, not the press's dot: ink on most of the rows it spans.
        let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        let inked = (area.y ..< area.y + area.height).filter { y in
            rows.indices.contains(y) && (area.x ..< area.x + area.width).contains { rows[y].indices.contains($0) && "▒▓█".contains(rows[y][$0]) }
        }
        XCTAssertGreaterThanOrEqual(inked.count, area.height * 6 / 10, "the ring's rows carry ink:\n\(screen)")

        session.keys("Enter")
        session.waitFor("the cursor on the drawing's code") { $0.contains("The cursor is at your drawing's code") }
        session.keys("Escape")
        let plane = session.waitFor("the plane again") { $0.contains("Decoded at cursor") && !$0.contains("mouse: draw") }
        XCTAssertTrue(plane.contains("✎"), "Esc keeps the drawing, marked on the plane:\n\(plane)")
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }
}
