@testable import ExplorerCore
import LetterData
import VAE
import XCTest

/// Rendering is a function of (state, model facts, decoded tiles): the preparation step alone decodes
/// and starts background work; drawing from the same inputs gives the same cells and starts nothing.
final class FramePreparationTests: XCTestCase {
    private static let size = (width: 120, height: 40)

    private func makeView() -> (ModelView, ClassCatalog) {
        let test = SyntheticLetters.makeImageSet(count: 52, seed: 5)
        let view = ModelView(model: VAEModel(configuration: .mlp(hiddenSize: 24, latentDim: 2), seed: 4), test: test,
                             reference: SyntheticLetters.makeImageSet(count: 52, seed: 6), decodesInBackground: true)
        let catalog = ClassCatalog(dataset: LabelledDataset(name: "t", train: test, test: test,
                                                            classNames: LabelledDataset.letterClassNames))
        return (view, catalog)
    }

    private func draw(_ state: ExplorerState, _ view: ModelView, _ tiles: FrameTiles) -> CellBuffer {
        ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .halfBlocks256, colours: true), title: "t")
            .render(width: Self.size.width, height: Self.size.height, state: state, facts: view, tiles: tiles,
                    training: TrainingSession.Status(dataName: "t"), message: "")
    }

    func testTheGridArrivesThroughPreparationAndDrawingStartsNoWork() throws {
        let (view, catalog) = makeView()
        var state = ExplorerState(catalog: catalog, latentDim: view.latentDim)
        state.showsInterpolation = true
        state.markA(view.testCode(0), name: "test 0")
        let layout = try XCTUnwrap(state.layout(width: Self.size.width, height: Self.size.height))
        let first = FramePreparation.tiles(state: state, view: view, layout: layout)
        XCTAssertNil(first.grid, "in the background, the grid is not decoded yet")
        XCTAssertNotNil(first.cursorLetter)
        view.waitForDecodes()
        _ = view.takeFreshDecodes()
        let tiles = FramePreparation.tiles(state: state, view: view, layout: layout)
        let grid = try XCTUnwrap(tiles.grid, "after the worker, the grid is there")
        XCTAssertEqual(grid.count % ImageSet.pixelCount, 0)
        XCTAssertNotNil(tiles.strip, "the strip's letters too")
        XCTAssertFalse(view.decodesNeedAttention, "nothing is left to decode for this frame")

        let frame = draw(state, view, tiles)
        XCTAssertEqual(draw(state, view, tiles), frame, "the same inputs draw the same cells")
        XCTAssertNotEqual(draw(state, view, first), frame, "the cells come from the tiles given")
        var moved = state
        moved.moveCursor(to: (2, 2))
        _ = draw(moved, view, tiles)
        XCTAssertFalse(view.isDecoding || view.decodesNeedAttention, "drawing a frame the tiles do not fit asks for no decode")
    }
}
