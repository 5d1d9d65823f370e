import Foundation
import XCTest

/// `--compare` with a digits model on letters: its pane says so, and so does the status line when it
/// gets the focus; at 120x40 the panes' titles drop whole fields rather than end in a cut "β…".
final class CompareGapsEndToEndTests: TmuxTestCase {
    func testADigitsPaneOnLettersSaysSoAndTitlesAreWhole() {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let digits = repository.appendingPathComponent("Weights/digits-2d.safetensors").path
        session.start(width: 120, height: 40, arguments: "--compare \(TmuxSession.quoted(digits)) --data synthetic --test-count 260")
        let screen = session.waitFor("two panes") { $0.contains("A default") && $0.contains("B digits-2d") }
        let titles = screen.split(separator: "\n").filter { $0.contains("A default") || $0.contains("B digits-2d") }.joined(separator: "\n")
        XCTAssertTrue(titles.contains("B digits-2d · ⚠ digits model"), "the digits pane says what it is:\n\(titles)")
        XCTAssertFalse(titles.contains("β…"), "no field cut in the middle:\n\(titles)")
        session.keys("Tab")
        session.waitFor("the warning with the focus") { $0.contains("Focus on digits-2d: A digits model on letters") }
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }
}
