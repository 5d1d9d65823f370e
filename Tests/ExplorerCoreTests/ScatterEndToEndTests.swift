import Foundation
import XCTest

/// The scatter on the real screen: a crosshair through the cursor across the pane, and each class
/// drawn as its own letter (in its colour), so classes whose colours look alike still differ.
final class ScatterEndToEndTests: TmuxTestCase {
    func testCrosshairAcrossThePaneAndClassesAsLetters() {
        session.start(width: 120, height: 40, arguments: "--data synthetic --test-count 520")
        session.waitFor("the explorer") { $0.contains("Latent plane") && $0.contains("Decoded at cursor") }
        session.keys("o")
        let screen = session.waitFor("the scatter") { $0.contains("· test letters") && $0.contains("✛") }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        guard let row = lines.firstIndex(where: { $0.contains("✛") }), let column = lines[row].firstIndex(of: "✛") else {
            return XCTFail("no cursor:\n\(screen)")
        }
        // The plane's interior spans columns 1 ..< 87 and rows 2 ..< 37 at 120x40.
        let across = lines[row][1 ..< 87].filter { $0 == "─" }.count
        let down = (2 ..< 36).filter { column < lines[$0].count && lines[$0][column] == "│" }.count
        XCTAssertGreaterThan(across, 20, "a horizontal line through the cursor:\n\(screen)")
        XCTAssertGreaterThan(down, 10, "a vertical line through the cursor:\n\(screen)")
        let letters = Set((2 ..< 34).flatMap { lines[$0][1 ..< 87] }.filter { ("a" ... "z").contains($0) })
        XCTAssertGreaterThanOrEqual(letters.count, 20, "the classes as their letters, in colour too:\n\(screen)")
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }
}
