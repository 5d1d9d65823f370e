import ExplorerCore
import LetterData
import VAE
import XCTest

/// What the style plane draws from prepared tiles: the plane's title names the letter, the side pane
/// writes the alphabet in the cursor's style (and, with the scatter, why classes overlap), and the word
/// line writes the typed text under the plane.
final class StylePlaneRenderingTests: XCTestCase {
    private let letters = (UInt8(ascii: "a") ... UInt8(ascii: "z")).map { String(UnicodeScalar($0)) }

    private func view() -> (ModelView, ClassCatalog) {
        let test = SyntheticLetters.makeImageSet(count: 52, seed: 3)
        let view = ModelView(model: VAEModel(configuration: ModelConfiguration.cvae(hiddenSize: 16), seed: 1), test: test,
                             reference: SyntheticLetters.makeImageSet(count: 52, seed: 4))
        let catalog = ClassCatalog(dataset: LabelledDataset(name: "t", train: test, test: test, classNames: LabelledDataset.letterClassNames))
        return (view, catalog)
    }

    /// One image per class whose ink is a thick vertical bar at a column that depends on the class.
    private func alphabet(_ count: Int) -> [Float] {
        (0 ..< count).flatMap { c in (0 ..< ImageSet.pixelCount).map { abs($0 % ImageSet.side - (5 + c % 16)) < 5 ? 1 : 0 } }
    }

    private func render(_ state: ExplorerState, _ view: ModelView, tiles: FrameTiles, width: Int = 120, height: Int = 40) -> CellBuffer {
        ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .ascii, colours: false), title: "test")
            .render(width: width, height: height, state: state, facts: view, tiles: tiles,
                    training: TrainingSession.Status(dataName: "synthetic"), message: "")
    }

    private func lines(_ buffer: CellBuffer) -> [String] { buffer.text.components(separatedBy: "\n") }

    func testTheTitleAndTheSidePaneNameTheLetterAndTheAlphabetIsDrawn() throws {
        let (view, catalog) = view()
        var state = ExplorerState(catalog: catalog, styleClasses: letters)
        _ = state.apply(.character("'"))
        _ = state.apply(.character("h"))
        var tiles = FrameTiles()
        let blank = render(state, view, tiles: tiles)
        XCTAssertTrue(blank.text.contains("Style plane of 'h'"), blank.text)
        XCTAssertTrue(blank.text.contains("Alphabet in this style"))
        XCTAssertTrue(blank.text.contains("'h' at z1 +0.00  z2 +0.00"), blank.text)
        tiles.alphabet = alphabet(26)
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let frame = render(state, view, tiles: tiles, width: width, height: height)
            let layout = try XCTUnwrap(state.layout(width: width, height: height))
            let side = layout.side.interior
            var inked = 0
            for y in side.y ..< side.y + side.height {
                for x in side.x ..< side.x + side.width where frame[x, y].character == "@" { inked += 1 }
            }
            XCTAssertGreaterThanOrEqual(inked, 26, "\(width)x\(height): every letter of the alphabet has ink in the side pane")
            let blankSide = render(state, view, tiles: FrameTiles(), width: width, height: height)
            XCTAssertNotEqual(frame.text, blankSide.text)
        }
    }

    /// A plain model's side pane and title stay its own, even when the state carries a letter (comparing
    /// it with a conditional model).
    func testAPlainModelIgnoresTheStylePlanesLetter() {
        let test = SyntheticLetters.makeImageSet(count: 52, seed: 3)
        let plain = ModelView(model: VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 16), seed: 1), test: test, reference: test)
        let (_, catalog) = view()
        let text = render(ExplorerState(catalog: catalog, styleClasses: letters), plain, tiles: FrameTiles()).text
        XCTAssertFalse(text.contains("Style plane"), text)
        XCTAssertFalse(text.contains("Alphabet in this style"), text)
        XCTAssertTrue(text.contains("Decoded at cursor"), text)
    }

    func testTheScatterSaysWhyClassesOverlap() {
        let (view, catalog) = view()
        var state = ExplorerState(catalog: catalog, styleClasses: letters)
        _ = state.apply(.character("o"))
        let text = render(state, view, tiles: FrameTiles()).text
        XCTAssertTrue(text.contains("overlap on"), text)
        XCTAssertFalse(render(ExplorerState(catalog: catalog, styleClasses: letters), view, tiles: FrameTiles()).text.contains("overlap on"))
    }

    func testTheWordLineWritesTheTypedLettersUnderThePlane() throws {
        let (view, catalog) = view()
        var state = ExplorerState(catalog: catalog, styleClasses: letters)
        _ = state.apply(.character("w"))
        for c in "hi yo" { _ = state.apply(.character(c)) }
        var tiles = FrameTiles()
        tiles.word = alphabet(4)
        let frame = render(state, view, tiles: tiles)
        let strip = try XCTUnwrap(state.layout(width: 120, height: 40)?.strip)
        XCTAssertTrue(lines(frame)[strip.y].contains("Written in the style at the cursor: hi yo▏"), lines(frame)[strip.y])
        // Four letters in slots 0, 1, 3, 4 (slot 2 is the space): each slot's bar of ink.
        let inside = strip.interior
        let slotWidth = Layout.stripLetters(interiorWidth: inside.width, maximumHeight: inside.height).width
        let pitch = slotWidth + TileSize.gap
        func inked(_ slot: Int) -> Bool {
            let left = inside.x + TileSize.gap + slot * pitch
            return (left ..< left + slotWidth).contains { x in
                (inside.y ..< inside.y + inside.height).contains { frame[x, $0].character != " " }
            }
        }
        XCTAssertEqual((0 ..< 6).map(inked), [true, true, false, true, true, false])
        XCTAssertTrue(lines(frame).last!.contains("Enter keeps  ·  Esc closes"), "the key line says how to finish")
        let narrow = lines(render(state, view, tiles: tiles, width: 80, height: 24)).last!
        XCTAssertTrue(narrow.trimmingCharacters(in: .whitespaces).hasSuffix("Esc closes"), narrow)
        XCTAssertLessThanOrEqual(narrow.trimmingCharacters(in: .whitespaces).count, 78, narrow)
    }
}
