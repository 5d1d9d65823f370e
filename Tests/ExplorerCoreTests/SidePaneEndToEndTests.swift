import ExplorerCore
import Foundation
import XCTest

/// The side pane on the real screen at 80x24: the verdict and the example beside it name the same
/// class (at the origin too), and its captions are whole words, or end in "…".
final class SidePaneEndToEndTests: TmuxTestCase {
    func testVerdictAndExampleAgreeAndCaptionsAreWhole() throws {
        session.start(width: 80, height: 24, arguments: "--data synthetic --test-count 520")
        session.waitFor("the explorer") { $0.contains("Decoded at cursor") && $0.contains("looks like: ") }
        for keys in [[], ["0"]] {
            if !keys.isEmpty { session.keys(keys[0]) }
            let screen = session.waitFor("the side pane at \(keys.isEmpty ? "the start" : "the origin")") {
                $0.contains("looks like: ") && $0.contains("nearest '") && (keys.isEmpty || $0.contains("+0.00  z2 +0.00"))
            }
            let verdict = try XCTUnwrap(screen.range(of: #"looks like: (\S+)"#, options: .regularExpression).map { String(screen[$0].dropFirst(12)) })
            let example = try XCTUnwrap(screen.range(of: #"nearest '[^']+'"#, options: .regularExpression).map { String(screen[$0].dropFirst(9).dropLast()) })
            XCTAssertEqual(verdict, example, "the example shown is of the class the verdict names:\n\(screen)")
            XCTAssertFalse(screen.contains("nearest test  ") || screen.contains("nearest test│"),
                           "no caption that reads as cut:\n\(screen)")
        }
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    /// At 200x60 the side pane's lower two-thirds show the cursor's neighbourhood: the 5 nearest test
    /// letters (the kNN's voters' kind) and the classes' centres by distance; at 120x40 there is no room.
    func testALargeSidePaneShowsTheNeighbourhood() {
        session.start(width: 200, height: 60, arguments: "--data synthetic --test-count 520")
        let large = session.waitFor("the neighbourhood") { $0.contains("nearest 5 test letters") && $0.contains("class centres by distance") }
        let rows = large.split(separator: "\n").filter { $0.range(of: #"│ [a-z]   \d\.\d "#, options: .regularExpression) != nil }
        XCTAssertGreaterThanOrEqual(rows.count, 20, "most classes listed by distance:\n\(large)")
        session.resize(width: 120, height: 40)
        session.waitFor("no neighbourhood at 120x40") { $0.contains("Decoded at cursor") && !$0.contains("class centres by distance") }
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    func testNeighbourhoodMeasures() {
        // Two classes on a line: 1 at 0 and 2, class 2 at 10; the point at 1.
        let n = Neighbourhood.measure([1], codes: [0, 2, 10], labels: [1, 1, 2], dimension: 1)
        XCTAssertEqual(n.nearest.map(\.index), [0, 1, 2])
        XCTAssertEqual(n.classes.map(\.label), [1, 2])
        XCTAssertEqual(n.classes[0].distance, 0, accuracy: 1e-6)
        XCTAssertEqual(n.classes[1].distance, 9, accuracy: 1e-6)
    }
}
