import ExplorerCore
import LetterData
import VAE
import XCTest

/// The plane's tiles: their size follows the terminal unless chosen with < > (or the wheel with a
/// modifier), they keep a gap, and the cursor's tile is framed in every colour mode.
final class TileSizeTests: XCTestCase {
    private let catalog = ClassCatalog(entries: [.init(label: 1, name: "a", testIndices: [0])])

    /// The terminal the states of this suite are on (set by `state`).
    private var screen = ScreenSize.unknown

    private func state(width: Int, height: Int) -> ExplorerState {
        let s = ExplorerState(catalog: catalog)
        screen = ScreenSize(width: width, height: height)
        return s
    }

    private func tile(_ s: ExplorerState) throws -> TileSize { s.tileSize(for: try XCTUnwrap(s.layout(on: screen)).plane.interior) }

    func testTheLadderRunsFromSmallLettersToFullSize() {
        XCTAssertEqual(TileSize.smallest, TileSize(width: 7, height: 4))
        XCTAssertEqual(TileSize.largest, TileSize(width: 28, height: 14), "a 28x28 letter, two pixels a cell")
        XCTAssertEqual(TileSize.ladder.map(\.width), TileSize.ladder.map(\.width).sorted())
        XCTAssertEqual(TileSize.smallest.stepped(by: -1), TileSize.smallest)
        XCTAssertEqual(TileSize.largest.stepped(by: 1), TileSize.largest)
    }

    func testDefaultTilesGrowWithTheTerminal() throws {
        let medium = try tile(state(width: 120, height: 40)), large = try tile(state(width: 200, height: 60))
        XCTAssertGreaterThanOrEqual(Double(large.width), 1.5 * Double(medium.width), "\(medium) at 120x40, \(large) at 200x60")
        XCTAssertGreaterThanOrEqual(Double(large.height), 1.5 * Double(medium.height), "\(medium) at 120x40, \(large) at 200x60")
        XCTAssertGreaterThanOrEqual(try tile(state(width: 120, height: 40)).width, try tile(state(width: 80, height: 24)).width)
        for (width, height) in [(80, 24), (120, 40), (200, 60), (250, 80)] {
            let s = state(width: width, height: height)
            let geometry = PlaneGeometry(area: try XCTUnwrap(s.layout(on: screen)).plane.interior, state: s)
            XCTAssertGreaterThanOrEqual(geometry.columns, 5, "\(width)x\(height)")
            XCTAssertGreaterThanOrEqual(geometry.rows, 3, "\(width)x\(height)")
        }
    }

    func testAngleBracketsAndTheModifiedWheelStepTheSize() throws {
        var s = state(width: 200, height: 60)
        let start = try tile(s)
        XCTAssertEqual(s.apply(.character(">"), on: screen), .notice("Tiles of \(start.stepped(by: 1)) cells (< smaller, > larger)"))
        XCTAssertEqual(try tile(s), start.stepped(by: 1))
        for _ in 0 ..< 20 { _ = s.apply(.character("<"), on: screen) }
        XCTAssertEqual(try tile(s), TileSize.smallest)
        if case .notice(let text) = s.apply(.character("<"), on: screen) { XCTAssertTrue(text.contains("the smallest"), text) } else { XCTFail() }
        let plane = try XCTUnwrap(s.layout(on: screen)).plane
        _ = s.apply(MouseEvent(.modifiedWheelUp, column: plane.x + 5, row: plane.y + 5), on: screen)
        XCTAssertEqual(try tile(s), TileSize.smallest.stepped(by: 1))
        let zoom = s.halfWidth
        _ = s.apply(MouseEvent(.modifiedWheelDown, column: plane.x + 5, row: plane.y + 5), on: screen)
        XCTAssertEqual(try tile(s), TileSize.smallest)
        XCTAssertEqual(s.halfWidth, zoom, "the modified wheel changes the tiles, not the zoom")
        // The largest size fits a large terminal; on a small one a chosen size gives way.
        for _ in 0 ..< 20 { _ = s.apply(.character(">"), on: screen) }
        XCTAssertEqual(try tile(s), TileSize.largest)
        screen = ScreenSize(width: 80, height: 24)
        let geometry = PlaneGeometry(area: try XCTUnwrap(s.layout(on: screen)).plane.interior, state: s)
        let last = geometry.tileRect(row: geometry.rows - 1, column: geometry.columns - 1)
        XCTAssertLessThanOrEqual(last.x + last.width, geometry.area.x + geometry.area.width)
    }

    func testTilesKeepAGapAndScreenPositionsRoundTrip() {
        let area = Rect(x: 1, y: 2, width: 86, height: 34)
        let geometry = PlaneGeometry(area: area, tile: TileSize(width: 12, height: 6), halfWidth: 3, centre: (0.5, -0.25))
        let a = geometry.tileRect(row: 0, column: 0), b = geometry.tileRect(row: 0, column: 1), c = geometry.tileRect(row: 1, column: 0)
        XCTAssertEqual(b.x - (a.x + a.width), TileSize.gap)
        XCTAssertEqual(c.y - (a.y + a.height), TileSize.gap)
        for (row, column) in [(0, 0), (1, 2), (geometry.rows - 1, geometry.columns - 1)] {
            let tile = geometry.tileRect(row: row, column: column)
            let centre = geometry.centre(row: row, column: column)
            // The cell in the middle of the tile maps to a point of that tile's grid cell, and back.
            let point = geometry.point(column: tile.x + tile.width / 2, row: tile.y + tile.height / 2)!
            XCTAssertTrue(geometry.gridCell(of: point)! == (row, column))
            XCTAssertEqual(point.x, centre.x, accuracy: geometry.cellSize / 2)
            let position = geometry.screenPosition(centre)!
            XCTAssertEqual(Int(position.column) + area.x, tile.x + tile.width / 2)
            XCTAssertEqual(Int(position.row) + area.y, tile.y + tile.height / 2)
        }
    }

    /// The frame around the cursor's tile: box characters in the gap, in the cursor's colour when there
    /// is colour, bold without; ASCII corners in a C locale.
    func testTheCursorsTileIsFramedInEveryColourMode() throws {
        let test = SyntheticLetters.makeImageSet(count: 26, seed: 3)
        let view = ModelView(model: VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 16), seed: 1), test: test, reference: test)
        var s = ExplorerState(catalog: ClassCatalog(dataset: LabelledDataset(name: "t", train: test, test: test,
                                                                            classNames: LabelledDataset.letterClassNames)))
        screen = ScreenSize(width: 120, height: 40)
        let geometry = PlaneGeometry(area: try XCTUnwrap(s.layout(on: screen)).plane.interior, state: s)
        s.moveCursor(to: geometry.centre(row: 1, column: 2))
        let cell = try XCTUnwrap(geometry.gridCell(of: s.cursor.pair))
        XCTAssertTrue(cell == (1, 2))
        let tile = geometry.tileRect(row: cell.row, column: cell.column)
        let modes: [(TerminalCapabilities, corner: Character)] = [
            (TerminalCapabilities(pixels: .halfBlocks256, colours: true), "╭"),
            (TerminalCapabilities(pixels: .shades, colours: false), "╭"),
            (TerminalCapabilities(pixels: .ascii, colours: false, unicode: false), "+"),
        ]
        for (capabilities, corner) in modes {
            let frame = ExplorerRenderer(capabilities: capabilities, title: "t")
                .render(width: 120, height: 40, state: s, view: view, training: TrainingSession.Status(dataName: "t"), message: "")
            let topLeft = frame[tile.x - 1, tile.y - 1]
            XCTAssertEqual(topLeft.character, corner, "\(capabilities)")
            XCTAssertTrue(topLeft.style.bold, "\(capabilities)")
            if capabilities.colours { XCTAssertEqual(topLeft.style.foreground, Palette.cursor) }
            XCTAssertNotEqual(frame[tile.x + tile.width, tile.y + 1].character, " ", "the right edge, \(capabilities)")
            XCTAssertEqual(frame[tile.x - 1, tile.y + tile.height + 1].character, " ", "only the cursor's tile is framed")
        }
    }
}
