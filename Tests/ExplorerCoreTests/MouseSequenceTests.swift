import ExplorerCore
import TerminalInput
import XCTest

/// xterm's SGR mouse reports (mode 1006) decoded into the explorer's mouse events: presses and the
/// wheel, with and without a modifier, the left button's drag (motion while held) and release; motion
/// without the left button, other buttons and malformed reports refused.
final class MouseSequenceTests: XCTestCase {
    func testMouseSequencesDecode() {
        XCTAssertEqual(MouseSequence.parse(afterPrefix: "0;12;5M"), MouseEvent(.press, column: 11, row: 4))
        XCTAssertEqual(MouseSequence.parse(afterPrefix: "64;1;1M"), MouseEvent(.wheelUp, column: 0, row: 0))
        XCTAssertEqual(MouseSequence.parse(afterPrefix: "65;300;90M"), MouseEvent(.wheelDown, column: 299, row: 89))
        XCTAssertEqual(MouseSequence.parse(afterPrefix: "16;3;3M"), MouseEvent(.press, column: 2, row: 2), "Ctrl+click")
        XCTAssertEqual(MouseSequence.parse(afterPrefix: "80;3;3M"), MouseEvent(.modifiedWheelUp, column: 2, row: 2), "Ctrl+wheel")
        XCTAssertEqual(MouseSequence.parse(afterPrefix: "69;3;3M"), MouseEvent(.modifiedWheelDown, column: 2, row: 2), "Shift+wheel")
        XCTAssertEqual(MouseSequence.parse(afterPrefix: "0;12;5m"), MouseEvent(.release, column: 11, row: 4))
        XCTAssertEqual(MouseSequence.parse(afterPrefix: "32;13;6M"), MouseEvent(.drag, column: 12, row: 5), "motion, left button held")
        XCTAssertNil(MouseSequence.parse(afterPrefix: "35;12;5M"), "motion with no button (mode 1003)")
        XCTAssertNil(MouseSequence.parse(afterPrefix: "34;12;5M"), "motion with the right button")
        XCTAssertNil(MouseSequence.parse(afterPrefix: "2;12;5m"), "the right button's release")
        XCTAssertNil(MouseSequence.parse(afterPrefix: "2;12;5M"), "the right button")
        XCTAssertNil(MouseSequence.parse(afterPrefix: "0;0;5M"), "columns count from 1")
        XCTAssertNil(MouseSequence.parse(afterPrefix: "0;12M"))
        XCTAssertNil(MouseSequence.parse(afterPrefix: "0;x;5M"))
        XCTAssertTrue(MouseSequence.isPrefix("0;12;"))
        XCTAssertFalse(MouseSequence.isPrefix("0;1a"))
    }
}
