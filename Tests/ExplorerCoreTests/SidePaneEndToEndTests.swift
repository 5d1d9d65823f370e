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
}
