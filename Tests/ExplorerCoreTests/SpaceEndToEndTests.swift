import Foundation
import XCTest

/// The room of the terminal used as a reader would want: the plane keeps three rows of letters at
/// 80x24 while training, and the strip's and the traversal's letters grow with the terminal, with gaps.
final class SpaceEndToEndTests: TmuxTestCase {
    /// The rows of the pane whose title starts with `title`, inside its frame.
    private func pane(_ screen: String, _ title: String) -> [String] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let top = lines.firstIndex(where: { $0.contains("╭─ " + title) }),
              let column = lines[top].firstIndex(of: "╭").map({ lines[top].distance(from: lines[top].startIndex, to: $0) }) else { return [] }
        var rows: [String] = []
        for line in lines[(top + 1)...] {
            let characters = Array(line)
            guard column < characters.count, characters[column] == "│" || characters[column] == "┤" else { break }
            rows.append(String(characters[(column + 1)...]))
        }
        return rows
    }

    /// Bands of consecutive rows holding letter pixels (half blocks): the rows of letters a pane shows.
    private func letterBands(_ rows: [String], width: Int) -> Int {
        var bands = 0, inside = false
        for row in rows {
            let hasLetter = row.prefix(width).contains("▀")
            if hasLetter && !inside { bands += 1 }
            inside = hasLetter
        }
        return bands
    }

    func testThePlaneKeepsThreeRowsOfLettersAt80x24WhileTraining() {
        session.start(width: 80, height: 24, arguments: "--data synthetic --test-count 260 --train-count 2600 --save-to /dev/null")
        session.waitFor("the explorer") { $0.contains("Latent plane") }
        session.keys("t")
        let training = session.waitFor("training to run") { $0.contains("samples/s") }
        XCTAssertGreaterThanOrEqual(letterBands(pane(training, "Latent plane"), width: 46), 3, "three rows of letters:\n\(training)")
        // Before the first epoch ends there is nothing unsaved and q quits at once; after, it asks.
        session.keys("q")
        if session.waitFor("the question or the exit", { $0.contains("not saved") || $0.contains("EXIT=") }).contains("not saved") {
            session.keys("d")
        }
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    func testStripAndTraversalLettersGrowAt200x60() {
        session.start(width: 200, height: 60, arguments: "--data synthetic --test-count 260")
        session.waitFor("the explorer") { $0.contains("Latent plane") && $0.contains("Decoded at cursor") }
        session.keys("0", "m", "L", "i")
        let strip = session.waitFor("the strip") { $0.contains("Interpolation, ") }
        let stripRows = pane(session.settled(), "Interpolation")
        XCTAssertGreaterThanOrEqual(stripRows.count, 8, "strip letters of 8 rows or more at 200x60:\n\(strip)")
        // A letter row of the strip: letters with blank gaps between them, at least 8 of them.
        let letters = stripRows[stripRows.count / 2].split(separator: " ", omittingEmptySubsequences: true).filter { $0.contains("▀") }
        XCTAssertGreaterThanOrEqual(letters.count, 8, "8 letters or more, apart:\n\(stripRows.joined(separator: "\n"))")
        session.keys("i", "v")
        session.waitFor("the traversal") { $0.contains("Traversal of the cursor") }
        let traversal = pane(session.settled(), "Traversal")
        let labels = traversal.enumerated().filter { $0.element.hasPrefix(" z") }.map(\.offset)
        XCTAssertEqual(labels.count, 2, "the 2-D model's two rows:\n\(traversal.joined(separator: "\n"))")
        XCTAssertGreaterThanOrEqual(labels.last! - labels.first!, 9, "rows of letters 8 high or more, and a gap")
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    /// Ticks on the plane: the x value of each column of letters on the frame's bottom edge, a tick on
    /// the left edge at each row; the cursor's x among the values.
    func testThePlaneHasAxisTicks() {
        session.start(width: 120, height: 40, arguments: "--data synthetic --test-count 260")
        session.waitFor("the explorer") { $0.contains("Latent plane") && $0.contains("Decoded at cursor") }
        session.keys("0")
        let screen = session.waitFor("the origin") { $0.contains("z1 +0.00  z2 +0.00") }
        let lines = screen.split(separator: "\n").map(String.init)
        let bottom = lines.first { $0.hasPrefix("╰─") } ?? ""
        let values = bottom.split(whereSeparator: { "─╰╯╮╭│ ".contains($0) }).compactMap { Float($0) }
        XCTAssertGreaterThanOrEqual(values.count, 4, "x values along the bottom edge: \(bottom)")
        XCTAssertTrue(values.contains(0), "the cursor's column, x = 0, is labelled: \(bottom)")
        XCTAssertGreaterThanOrEqual(lines.filter { $0.hasPrefix("┤") }.count, 4, "a tick at each row of letters:\n\(screen)")
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }
}
