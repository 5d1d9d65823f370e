import ExplorerCore
import LetterData
import VAE
import XCTest

/// The controller on a conditional model: the state starts as a style plane, Enter on a browsed letter
/// draws its class, and comparing a plain model with a conditional one, the word line is written by the
/// conditional one whichever has the focus.
final class StylePlaneControllerTests: XCTestCase {
    private static let test = SyntheticLetters.makeImageSet(count: 52, seed: 3)

    private func view(_ configuration: ModelConfiguration) -> ModelView {
        ModelView(model: VAEModel(configuration: configuration, seed: 1), test: Self.test, reference: SyntheticLetters.makeImageSet(count: 52, seed: 4))
    }

    private var catalog: ClassCatalog {
        ExplorerData(test: Self.test, reference: Self.test, classNames: LabelledDataset.letterClassNames, name: "t").catalog
    }

    func testEnterOnABrowsedLetterDrawsItsClass() {
        let controller = ExplorerController(view: view(.cvae(hiddenSize: 16)), catalog: catalog)
        _ = controller.handle(.resize(width: 120, height: 40))
        XCTAssertEqual(controller.state.style?.letterName, "a")
        for key: Key in [.character("b"), .character("q"), .enter] { _ = controller.handle(.key(key)) }
        XCTAssertEqual(controller.state.mode, .plane)
        XCTAssertEqual(controller.state.style?.letterName, "q", "the plane now draws the browsed letter's class")
        XCTAssertNil(ExplorerController(view: view(.mlp(hiddenSize: 16)), catalog: catalog).state.style, "a plain model has no style plane")
    }

    /// The start: a 2-D style plane stands on the clearest test letter's code, in its style; one of more
    /// dimensions keeps the hidden ones at 0 (a conditional code still carries some of its letter, which
    /// blurs the other letters) and puts the cursor where that letter lies on the plane. A plain model
    /// of more dimensions holds them at the letter's code, as before.
    func testStartHoldsAStylePlanesHiddenDimensionsAtZero() throws {
        let letters = SyntheticLetters.makeImageSet(count: 26 * 4, seed: 5)   // a start needs a class of 3 or more
        func started(_ configuration: ModelConfiguration) -> (ExplorerController, ModelView) {
            let shown = ModelView(model: VAEModel(configuration: configuration, seed: 1), test: letters, reference: letters)
            let controller = ExplorerController(view: shown, catalog: ExplorerData(test: letters, reference: letters,
                                                                                 classNames: LabelledDataset.letterClassNames, name: "t").catalog)
            _ = controller.handle(.resize(width: 120, height: 40))
            controller.startOnTightestClass()
            return (controller, shown)
        }
        let (wide, wideView) = started(.cvae(hiddenSize: 16, latentDim: 4))
        XCTAssertFalse(wide.state.isAnchored, "the hidden dimensions of a 4-D style plane stay at 0")
        XCTAssertEqual(wide.state.cursorPoint[2...], [0, 0])
        let letter = try XCTUnwrap(wide.state.style?.letter)
        func liesAtCursor(_ index: Int) -> Bool {
            zip(wideView.testCode(index).prefix(2), wide.state.cursorPoint.prefix(2)).allSatisfy { abs($0 - $1) < 1e-5 }
        }
        let start = try XCTUnwrap((0 ..< letters.count).first(where: liesAtCursor), "the cursor stands where a test letter lies on the plane")
        XCTAssertEqual(wideView.testClass(start).map(Int.init), letter, "and the plane draws that letter's class")
        XCTAssertTrue(wide.message.contains("the other dimensions at 0"), wide.message)

        let (flat, flatView) = started(.cvae(hiddenSize: 16))
        XCTAssertTrue((0 ..< letters.count).contains { flatView.testCode($0) == flat.state.cursorPoint }, "a 2-D style plane starts on a code")
        let (plain, _) = started(.mlp(hiddenSize: 16, latentDim: 4))
        XCTAssertTrue(plain.state.isAnchored, "a plain 4-D model holds its hidden dimensions at the start letter's code")
    }

    func testComparingThePlainModelsFocusStillWritesTheWordWithTheConditionalModel() throws {
        let plain = view(.mlp(hiddenSize: 16)), conditional = view(.cvae(hiddenSize: 16))
        let compared = ComparedModels(entries: [ComparedModels.Entry(view: plain, name: "plain", summary: ""),
                                                ComparedModels.Entry(view: conditional, name: "cvae", summary: "")])
        let controller = ExplorerController(view: plain, catalog: catalog, compared: compared)
        _ = controller.handle(.resize(width: 140, height: 40))
        XCTAssertNotNil(controller.state.style, "the letter keys work while the plain model has the focus")
        for key: Key in [.character("'"), .character("k"), .character("w"), .character("h"), .character("i")] { _ = controller.handle(.key(key)) }
        let layout = try XCTUnwrap(controller.state.layout(width: 140, height: 40))
        let strip = try XCTUnwrap(layout.strip)
        let word = try XCTUnwrap(FramePreparation.tiles(state: controller.state, view: plain, layout: layout, comparing: true, writer: conditional).word)
        let expected = conditional.decodeBatch(controller.state.cursorPoint + controller.state.cursorPoint, slot: .traversal, classes: [7, 8])
        XCTAssertEqual(word, expected, "h and i in the conditional model's hand at the cursor")
        XCTAssertTrue(controller.render(ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .ascii, colours: false), title: "t"),
                                        width: 140, height: 40, training: TrainingSession.Status(dataName: "s"))
            .text.components(separatedBy: "\n")[strip.y].contains("Written in the style at the cursor: hi"))
    }
}
