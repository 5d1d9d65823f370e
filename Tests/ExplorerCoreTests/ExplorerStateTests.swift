import ExplorerCore
import XCTest

final class ExplorerStateTests: XCTestCase {
    private let catalog = ClassCatalog(entries: [
        .init(label: 1, name: "a", testIndices: [0, 3, 5]),
        .init(label: 2, name: "b", testIndices: [1, 4]),
        .init(label: 5, name: "e", testIndices: [2]),
    ])

    private func state() -> ExplorerState { ExplorerState(catalog: catalog) }

    func testArrowsAndVimKeysMoveTheCursorBySteps() {
        var s = state()
        XCTAssertEqual(s.apply(.right), .none)
        XCTAssertEqual(s.cursor.x, 0.25, accuracy: 1e-6)        // the view's width 6 / 24
        _ = s.apply(.character("k"))
        XCTAssertEqual(s.cursor.y, 0.25, accuracy: 1e-6)        // up is +y
        _ = s.apply(.bigLeft)
        XCTAssertEqual(s.cursor.x, -0.5, accuracy: 1e-6)        // three steps, an eighth of the view
        _ = s.apply(.character("J"))
        XCTAssertEqual(s.cursor.y, -0.5, accuracy: 1e-6)
    }

    func testCursorStopsAtTheLimitAndTheViewFollowsIt() {
        var s = state()
        for _ in 0 ..< 200 { _ = s.apply(.bigRight) }
        XCTAssertEqual(s.cursor.x, ExplorerState.cursorLimit)
        XCTAssertLessThanOrEqual(abs(s.cursor.x - s.centre.x), s.halfWidth, "the cursor stays in view")
        for _ in 0 ..< 400 { _ = s.apply(.bigDown) }
        XCTAssertEqual(s.cursor.y, -ExplorerState.cursorLimit)
        XCTAssertLessThanOrEqual(abs(s.cursor.y - s.centre.y), s.halfWidth)
    }

    func testZoomKeepsTheCursorInPlaceAndIsBounded() {
        var s = state()
        s.moveCursor(to: (1, 1))
        _ = s.apply(.character("+"))
        XCTAssertEqual(s.halfWidth, 2, accuracy: 1e-6)
        // The cursor's offset from the centre shrinks with the zoom: it keeps its place on screen.
        XCTAssertEqual(s.centre.x, 1 - 1 / 1.5, accuracy: 1e-5)
        for _ in 0 ..< 30 { _ = s.apply(.character("+")) }
        XCTAssertEqual(s.halfWidth, ExplorerState.halfWidthRange.lowerBound)
        for _ in 0 ..< 30 { _ = s.apply(.character("-")) }
        XCTAssertEqual(s.halfWidth, ExplorerState.halfWidthRange.upperBound)
        _ = s.apply(.character("0"))
        XCTAssertEqual(s.halfWidth, ExplorerState.defaultHalfWidth)
        XCTAssertEqual(s.cursor.x, 0)
        XCTAssertEqual(s.centre.y, 0)
    }

    func testBrowsingChoosesClassesByKeyAndStepsWithWrapAround() {
        var s = state()
        _ = s.apply(.character("b"))
        XCTAssertEqual(s.mode, .browse)
        XCTAssertEqual(s.selectedTestIndex, 0)
        _ = s.apply(.character("b"))                  // in browse mode, letters choose classes
        XCTAssertEqual(s.selectedClass?.name, "b")
        XCTAssertEqual(s.selectedTestIndex, 1)
        _ = s.apply(.right)
        XCTAssertEqual(s.selectedTestIndex, 4)
        _ = s.apply(.right)                           // wraps around
        XCTAssertEqual(s.selectedTestIndex, 1)
        _ = s.apply(.left)
        XCTAssertEqual(s.selectedTestIndex, 4)
        _ = s.apply(.character("]"))
        XCTAssertEqual(s.selectedClass?.name, "e")
        _ = s.apply(.character("]"))
        XCTAssertEqual(s.selectedClass?.name, "a")
        _ = s.apply(.character("["))
        XCTAssertEqual(s.selectedClass?.name, "e")
        XCTAssertEqual(s.apply(.character("z")), .notice("No class 'z' in this data set"))
        XCTAssertEqual(s.selectedClass?.name, "e", "no such class: nothing changes")
        XCTAssertNotEqual(s.apply(.character("q")), .quit, "q picks a class while browsing, it does not quit")
    }

    func testEnterAnchorsAtTheBrowsedLetterAndReturnsToThePlane() {
        var s = state()
        _ = s.apply(.tab)
        XCTAssertEqual(s.apply(.enter), .anchorAtBrowsedLetter)
        s.anchor(at: [2.5, -1.5], name: "letter 'a' #0")
        XCTAssertEqual(s.mode, .plane)
        XCTAssertEqual(s.cursor.x, 2.5)
        XCTAssertEqual(s.cursor.y, -1.5)
        XCTAssertEqual(s.anchorName, "letter 'a' #0")
    }

    func testAClassWithoutTestLettersSaysSo() {
        var s = ExplorerState(catalog: ClassCatalog(entries: catalog.entries, emptyClassNames: ["h", "z"]))
        _ = s.apply(.character("b"))
        XCTAssertEqual(s.apply(.character("z")), .notice("Class 'z' has no test letters in this data set"))
        XCTAssertEqual(s.selectedClass?.name, "a", "the browsed class stays")
        if case .notice = s.apply(.character("w")) {} else { XCTFail("an unknown class key explains itself") }
    }

    func testActionsHelpAndQuitting() {
        var s = state()
        XCTAssertEqual(s.apply(.character("t")), .toggleTraining)
        XCTAssertEqual(s.apply(.character("s")), .save(replacing: false, thenQuit: false))
        XCTAssertEqual(s.apply(.character("{")), .scaleKLWeight(0.5))
        XCTAssertEqual(s.apply(.character("}")), .scaleKLWeight(2))
        _ = s.apply(.character("o"))
        XCTAssertTrue(s.showsScatter)
        _ = s.apply(.character("?"))
        XCTAssertTrue(s.showsHelp)
        XCTAssertEqual(s.apply(.right), .none, "a key closes the help")
        XCTAssertFalse(s.showsHelp)
        XCTAssertEqual(s.cursor.x, 0, "the key that closes help does nothing else")
        _ = s.apply(.character("b"))
        XCTAssertEqual(s.apply(.character("T")), .toggleTraining)
        XCTAssertEqual(s.apply(.character("}")), .scaleKLWeight(2), "β keys work while browsing too")
        _ = s.apply(.escape)
        XCTAssertEqual(s.mode, .plane)
        if case .notice = s.apply(.escape) {} else { XCTFail("Esc on the plane explains that q quits; it never quits") }
        XCTAssertEqual(s.apply(.character("q")), .quit)
    }
}
