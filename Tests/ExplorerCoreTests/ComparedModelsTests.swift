import ExplorerCore
import LetterData
import VAE
import XCTest

/// The compared models without a terminal: pane states derived from the focused one, Tab, the mouse
/// on any pane, and the note for models of different latent sizes.
final class ComparedModelsTests: XCTestCase {
    private let test = SyntheticLetters.makeImageSet(count: 78, seed: 5)

    private func view(latentDim: Int, seed: UInt64) -> ModelView {
        ModelView(model: VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 24, latentDim: latentDim), seed: seed),
                  test: test, reference: SyntheticLetters.makeImageSet(count: 52, seed: 6))
    }

    private func controller(_ views: [ModelView]) -> ExplorerController {
        let compared = ComparedModels(entries: views.enumerated().map { .init(view: $1, name: "m\($0)", summary: "test") })
        let catalog = ClassCatalog(dataset: LabelledDataset(name: "t", train: test, test: test, classNames: LabelledDataset.letterClassNames))
        let controller = ExplorerController(view: views[0], catalog: catalog, compared: compared)
        _ = controller.handle(.resize(width: 140, height: 40))
        return controller
    }

    func testOneCursorTabAndTheMouseOnEitherPane() throws {
        let views = [view(latentDim: 2, seed: 1), view(latentDim: 2, seed: 2)]
        let controller = controller(views)
        let compared = try XCTUnwrap(controller.compared)
        XCTAssertTrue(compared.sharesCoordinates)
        XCTAssertNil(compared.note)
        XCTAssertTrue(compared.heading(0).hasPrefix("▶A m0 · crowding "), compared.heading(0))
        XCTAssertTrue(compared.heading(1).hasPrefix(" B m1"), compared.heading(1))

        _ = controller.handle(.key(.right))
        let cursor = controller.state.cursor
        XCTAssertGreaterThan(cursor.x, 0)
        XCTAssertEqual(compared.paneState(1, from: controller.state).cursor.x, cursor.x, "the same cursor in the other pane")

        _ = controller.handle(.key(.tab))
        XCTAssertEqual(compared.focus, 1)
        XCTAssertTrue(controller.view === views[1], "the focused model's view drives the side pane, browse, t and s")
        XCTAssertEqual(controller.state.cursor.x, cursor.x, "the cursor stays where it was")
        XCTAssertEqual(controller.message, "Focus on m1: browse, t and s act on it")
        XCTAssertEqual(controller.state.mode, .plane, "Tab moves the focus instead of opening the browser")

        // A click in the first pane (columns 0-53 of the 108-column plane) puts the cursor under it.
        let before = controller.state.cursor
        _ = controller.handle(.mouse(MouseEvent(.press, column: 5, row: 10)))
        XCTAssertLessThan(controller.state.cursor.x, before.x, "left of the centre of the first pane")
        XCTAssertGreaterThan(controller.state.cursor.y, 0, "above its middle")
        _ = controller.handle(.key(.tab))
        XCTAssertEqual(compared.focus, 0)
    }

    func testDifferentLatentSizesShowEachModelsPCAPlane() throws {
        let controller = controller([view(latentDim: 2, seed: 1), view(latentDim: 16, seed: 2)])
        let compared = try XCTUnwrap(controller.compared)
        XCTAssertFalse(compared.sharesCoordinates)
        XCTAssertEqual(compared.note, "Latent sizes differ (z=2, z=16): each pane shows its model's own PCA plane, the cursor at the same coordinates")
        XCTAssertTrue(controller.state.showsPrincipalPlane)
        let other = compared.paneState(1, from: controller.state)
        XCTAssertEqual(other.latentDim, 16)
        XCTAssertTrue(other.showsPrincipalPlane)
        _ = controller.handle(.key(.tab))
        XCTAssertEqual(controller.state.latentDim, 16)
        XCTAssertTrue(controller.state.showsPrincipalPlane)
    }

    /// A conditional model's score bounds -log p(x | y): its heading says so, beside a plain model's -ELBO.
    func testTheHeadingSaysWhatAConditionalModelsScoreBounds() {
        let loss = LossParts(reconstruction: 190, kl: 3)
        for (configuration, expected) in [(ModelConfiguration.mlp(hiddenSize: 8), "mlp z=2 β 1 · -ELBO 193.0"),
                                          (ModelConfiguration.cvae(hiddenSize: 8), "cvae z=2 β 1 · -ELBO(x|y) 193.0")] {
            let model = VAEModel(configuration: configuration, seed: 1)
            XCTAssertEqual(ComparedModels.summary(model, ModelMetadata(configuration: configuration, testLoss: loss)), expected)
        }
    }
}
