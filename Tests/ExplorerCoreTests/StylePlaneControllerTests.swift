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
