@testable import ExplorerCore
import LetterData
import VAE
import XCTest

/// The tile framed on the plane is the letter decoded at the cursor, whatever moved the view: zoom,
/// arrows, clicks, the wheel and resizes. The grid lays a cell's centre on the cursor, and arrows
/// step a whole tile.
final class CursorTileTests: XCTestCase {
    private func makeView() -> (ModelView, ClassCatalog) {
        let test = SyntheticLetters.makeImageSet(count: 52, seed: 5)
        let view = ModelView(model: VAEModel(configuration: .mlp(hiddenSize: 24, latentDim: 3), seed: 4), test: test,
                             reference: SyntheticLetters.makeImageSet(count: 52, seed: 6), decodesInBackground: false)
        let catalog = ClassCatalog(dataset: LabelledDataset(name: "t", train: test, test: test,
                                                            classNames: LabelledDataset.letterClassNames))
        return (view, catalog)
    }

    /// The framed cell's pixels and the side pane's letter, for `state` on a `width` x `height` screen.
    private func framedAndCursorLetters(_ state: ExplorerState, _ view: ModelView, width: Int, height: Int,
                                        file: StaticString = #filePath, line: UInt = #line) throws -> ([Float], [Float]) {
        let layout = try XCTUnwrap(state.layout(width: width, height: height), file: file, line: line)
        let geometry = PlaneGeometry(area: layout.plane.interior, state: state)
        let cell = try XCTUnwrap(geometry.cursorCell, "the cursor is on the grid (\(state.cursor), centre \(state.centre), half width \(state.halfWidth))", file: file, line: line)
        let tiles = FramePreparation.tiles(state: state, view: view, layout: layout)
        let grid = try XCTUnwrap(tiles.grid, file: file, line: line)
        let index = cell.row * geometry.columns + cell.column
        return (Array(grid[index * ImageSet.pixelCount ..< (index + 1) * ImageSet.pixelCount]),
                try XCTUnwrap(tiles.cursorLetter, file: file, line: line))
    }

    func testTheFramedTileIsTheLetterDecodedAtTheCursorAfterEveryKindOfMove() throws {
        let (view, catalog) = makeView()
        var state = ExplorerState(catalog: catalog, latentDim: 3)
        var size = (width: 120, height: 40)
        // Moves that used to leave the cursor off its tile's centre: zoom, odd steps, a click between
        // tiles, the wheel about another point, and resizes that change the tile and the grid.
        let moves: [(String, (inout ExplorerState, inout (width: Int, height: Int)) -> Void)] = [
            ("start", { _, _ in }),
            ("+", { s, z in _ = s.apply(.character("+"), on: ScreenSize(width: z.width, height: z.height)) }),
            ("right", { s, z in _ = s.apply(.right, on: ScreenSize(width: z.width, height: z.height)) }),
            ("cursor set off-centre", { s, _ in s.moveCursor(to: (0.37, -0.81)) }),
            ("-", { s, z in _ = s.apply(.character("-"), on: ScreenSize(width: z.width, height: z.height)) }),
            ("wheel near the cursor", { s, z in _ = s.apply(MouseEvent(.wheelUp, column: 45, row: 19), on: ScreenSize(width: z.width, height: z.height)) }),
            ("click in a gap", { s, z in _ = s.apply(MouseEvent(.press, column: 17, row: 9), on: ScreenSize(width: z.width, height: z.height)) }),
            ("resize 200x60", { s, z in z = (200, 60); s.keepCursorInView(on: ScreenSize(width: z.width, height: z.height)) }),
            ("shift+up", { s, z in _ = s.apply(.bigUp, on: ScreenSize(width: z.width, height: z.height)) }),
            ("resize 80x24", { s, z in z = (80, 24); s.keepCursorInView(on: ScreenSize(width: z.width, height: z.height)) }),
            ("x", { s, z in _ = s.apply(.character("x"), on: ScreenSize(width: z.width, height: z.height)) }),
            (">", { s, z in _ = s.apply(.character(">"), on: ScreenSize(width: z.width, height: z.height)) }),
        ]
        for (name, move) in moves {
            move(&state, &size)
            let (framed, atCursor) = try framedAndCursorLetters(state, view, width: size.width, height: size.height)
            XCTAssertEqual(framed, atCursor, "after \(name) at \(size.width)x\(size.height): the framed tile is the letter at the cursor")
        }
    }

    func testAnArrowStepsOneTileSoTheFrameMovesToTheNextLetter() throws {
        let (_, catalog) = makeView()
        var state = ExplorerState(catalog: catalog, latentDim: 2)
        let screen = ScreenSize(width: 120, height: 40)
        state.moveCursor(to: (0.3, 0.2))
        let layout = try XCTUnwrap(state.layout(on: screen))
        let before = PlaneGeometry(area: layout.plane.interior, state: state)
        let cell = try XCTUnwrap(before.cursorCell)
        _ = state.apply(.right, on: screen)
        let after = PlaneGeometry(area: layout.plane.interior, state: state)
        XCTAssertEqual(state.cursor.x, 0.3 + before.cellSize, accuracy: 1e-5, "one tile to the right")
        XCTAssertEqual(after.left, before.left, accuracy: 1e-5, "the grid stays put: no re-decode of every tile")
        XCTAssertEqual(after.cursorCell?.column, cell.column + 1)
        XCTAssertEqual(after.cursorCell?.row, cell.row)
        let position = try XCTUnwrap(after.screenPosition(state.cursor.pair))
        let tile = after.tileRect(row: cell.row, column: cell.column + 1)
        XCTAssertEqual(Int(position.column) + layout.plane.interior.x, tile.x + tile.width / 2, "the mark in the middle of its tile")
        XCTAssertEqual(Int(position.row) + layout.plane.interior.y, tile.y + tile.height / 2)
    }
}
