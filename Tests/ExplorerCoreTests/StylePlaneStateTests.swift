import ExplorerCore
import XCTest

/// The style plane's keys (`'` and a letter, `n` `N`) and the word line (`w`) on the explorer's state.
final class StylePlaneStateTests: XCTestCase {
    private let catalog = ClassCatalog(entries: [
        .init(label: 1, name: "a", testIndices: [0]),
        .init(label: 2, name: "b", testIndices: [1]),
    ])
    private let letters = (UInt8(ascii: "a") ... UInt8(ascii: "z")).map { String(UnicodeScalar($0)) }

    private func styled() -> ExplorerState { ExplorerState(catalog: catalog, styleClasses: letters) }

    func testAnApostropheThenALetterPicksTheLetterCaseFolded() {
        var s = styled()
        XCTAssertEqual(s.style?.letterName, "a")
        XCTAssertEqual(s.apply(.character("'")), .notice("Which letter? Type one of a…z"))
        XCTAssertEqual(s.apply(.character("H")), .notice("The plane draws 'h' in every style: each point is a handwriting"))
        XCTAssertEqual(s.style?.letterName, "h")
        XCTAssertEqual(s.cursor, .origin, "the letter key did not move the cursor (h is also 'left')")
        _ = s.apply(.character("'"))
        XCTAssertEqual(s.apply(.character("7")), .notice("The model has no letter '7': it draws a…z"))
        XCTAssertEqual(s.style?.letterName, "h")
        _ = s.apply(.character("'"))
        XCTAssertEqual(s.apply(.escape), .notice("No letter chosen: the plane still draws 'h'"))
        XCTAssertEqual(s.apply(.character("l")), .none)
        XCTAssertGreaterThan(s.cursor.x, 0, "after the letter, l moves the cursor again")
    }

    func testNAndShiftNStepRoundTheAlphabet() {
        var s = styled()
        _ = s.apply(.character("N"))
        XCTAssertEqual(s.style?.letterName, "z")
        _ = s.apply(.character("n"))
        _ = s.apply(.character("n"))
        XCTAssertEqual(s.style?.letterName, "b")
    }

    func testAPlainModelSaysTheKeysAreForAConditionalModel() {
        var s = ExplorerState(catalog: catalog)
        XCTAssertNil(s.style)
        for key in ["'", "n", "w"] {
            guard case .notice(let text) = s.apply(.character(Character(key))) else { return XCTFail(key) }
            XCTAssertTrue(text.contains("conditional VAE"), text)
        }
        XCTAssertFalse(s.wordLine.isShown)
    }

    func testTheWordLineTakesTypingArrowsStillMoveEnterKeepsEscCloses() {
        var s = styled()
        _ = s.apply(.character("w"))
        XCTAssertTrue(s.wordLine.isShown && s.wordLine.isEditing)
        XCTAssertNotNil(s.layout(width: 120, height: 40)?.strip, "the word line takes the strip's rows")
        for c in "Hi jo!" { _ = s.apply(.character(c)) }
        XCTAssertEqual(s.wordLine.text, "Hi jo", "the refused '!' is left out")
        XCTAssertEqual(s.cursor, .origin, "j typed into the word, not moving the cursor")
        _ = s.apply(.character("\u{7F}"))
        XCTAssertEqual(s.wordLine.text, "Hi j")
        _ = s.apply(.right)
        XCTAssertGreaterThan(s.cursor.x, 0, "arrows move the cursor while typing")
        _ = s.apply(.character("q"))
        XCTAssertEqual(s.wordLine.text, "Hi jq", "q is a letter while typing, not quit")
        _ = s.apply(.enter)
        XCTAssertFalse(s.wordLine.isEditing)
        XCTAssertTrue(s.wordLine.isShown, "Enter keeps it shown")
        _ = s.apply(.character("l"))
        XCTAssertEqual(s.wordLine.text, "Hi jq", "after Enter the keys act on the plane again")
        _ = s.apply(.escape)
        XCTAssertFalse(s.wordLine.isShown)
        XCTAssertNil(s.layout(width: 120, height: 40)?.strip)
        _ = s.apply(.character("w"))
        XCTAssertEqual(s.wordLine.text, "Hi jq", "w opens it again with the same text")
        _ = s.apply(.escape)
        XCTAssertFalse(s.wordLine.isShown, "Esc while typing closes it")
    }

    func testBrowsingKeepsItsLetterKeys() {
        var s = styled()
        _ = s.apply(.character("b"))
        _ = s.apply(.character("n"))
        XCTAssertEqual(s.style?.letterName, "a", "n while browsing is not the style plane's")
    }
}
