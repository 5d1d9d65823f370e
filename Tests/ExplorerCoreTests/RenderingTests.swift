import Foundation
import ExplorerCore
import LetterData
import Support
import VAE
import XCTest

final class RenderingTests: XCTestCase {
    /// A 2x2 image with known greys renders to the expected cells in each style.
    func testKnownImageRendersToExpectedCharacters() {
        let image: [Float] = [0, 1, 0.5, 1]   // rows: (0, 1), (0.5, 1)
        var buffer = CellBuffer(width: 2, height: 1)
        PixelArt.draw(image, side: 2, into: &buffer, rect: Rect(x: 0, y: 0, width: 2, height: 1), style: .shades)
        XCTAssertEqual(buffer.text, "░█")                 // means 0.25 and 1.0
        PixelArt.draw(image, side: 2, into: &buffer, rect: Rect(x: 0, y: 0, width: 2, height: 1), style: .ascii)
        XCTAssertEqual(buffer.text, ":@")
        PixelArt.draw(image, side: 2, into: &buffer, rect: Rect(x: 0, y: 0, width: 2, height: 1), style: .halfBlocks256)
        XCTAssertEqual(buffer.text, "▀▀")
        XCTAssertEqual(buffer[0, 0].style, CellStyle(foreground: 16, background: Palette.grey(0.5)))   // black over mid grey
        XCTAssertEqual(buffer[1, 0].style, CellStyle(foreground: 231, background: 231))                 // white over white
    }

    func testResamplingAveragesAreas() {
        let image: [Float] = (0 ..< 16).map { Float($0 % 4 < 2 ? 0 : 1) }   // left half dark, right half bright
        XCTAssertEqual(PixelArt.resample(image, side: 4, width: 2, height: 2), [0, 1, 0, 1])
        XCTAssertEqual(PixelArt.resample(image, side: 4, width: 1, height: 1), [0.5])
    }

    /// The resampling with each target row's and column's overlaps worked out once gives the per-pixel
    /// loop's result bit for bit, at every tile size of the ladder, full size, and sizes between.
    func testResamplingMatchesThePerPixelAreaAverageExactly() {
        var generator = SeededGenerator(seed: 12)
        let image = (0 ..< ImageSet.pixelCount).map { _ in Float.random(in: 0 ... 1, using: &generator) }
        let sizes = TileSize.ladder.map { ($0.width, 2 * $0.height) } + [(28, 28), (5, 3), (19, 13), (1, 1), (40, 56)]
        for (width, height) in sizes {
            XCTAssertEqual(PixelArt.resample(image, side: ImageSet.side, width: width, height: height),
                           perPixelResample(image, side: ImageSet.side, width: width, height: height), "\(width)x\(height)")
        }
    }

    /// The area average as it was written first: every target pixel works out its own overlaps.
    private func perPixelResample(_ image: [Float], side: Int, width: Int, height: Int) -> [Float] {
        if width == side && height == side { return image }
        var out = [Float](repeating: 0, count: width * height)
        let sx = Float(side) / Float(width), sy = Float(side) / Float(height)
        for ty in 0 ..< height {
            let y0 = Float(ty) * sy, y1 = y0 + sy
            for tx in 0 ..< width {
                let x0 = Float(tx) * sx, x1 = x0 + sx
                var sum: Float = 0, area: Float = 0
                for y in Int(y0) ..< min(side, Int(y1.rounded(.up))) {
                    let wy = min(y1, Float(y + 1)) - max(y0, Float(y))
                    for x in Int(x0) ..< min(side, Int(x1.rounded(.up))) {
                        let w = wy * (min(x1, Float(x + 1)) - max(x0, Float(x)))
                        sum += image[y * side + x] * w
                        area += w
                    }
                }
                out[ty * width + tx] = area > 0 ? sum / area : 0
            }
        }
        return out
    }

    func testLayoutReflowsAndTheGridFits() throws {
        let small = try XCTUnwrap(Layout(width: 80, height: 24))
        let large = try XCTUnwrap(Layout(width: 120, height: 40))
        XCTAssertEqual(small.plane.width + small.side.width, 80)
        XCTAssertEqual(large.plane.width + large.side.width, 120)
        // The grid of tiles (and their gaps) fits inside the plane pane's frame.
        for layout in [small, large] {
            let area = layout.plane.interior
            let geometry = PlaneGeometry(area: area, tile: TileSize.automatic(for: area), halfWidth: 3, centre: (0, 0))
            let last = geometry.tileRect(row: geometry.rows - 1, column: geometry.columns - 1)
            XCTAssertGreaterThanOrEqual(geometry.tileRect(row: 0, column: 0).x, area.x + TileSize.gap)
            XCTAssertLessThanOrEqual(last.x + last.width + TileSize.gap, area.x + area.width)
            XCTAssertLessThanOrEqual(last.y + last.height + TileSize.gap, area.y + area.height)
            XCTAssertGreaterThanOrEqual(geometry.columns * geometry.rows, 10, "\(layout.width)x\(layout.height)")
        }
        XCTAssertNil(Layout(width: 79, height: 40))
        XCTAssertNil(Layout(width: 120, height: 23))
    }

    private func makeView() -> (ModelView, ClassCatalog) {
        let test = SyntheticLetters.makeImageSet(count: 52, seed: 3)
        let view = ModelView(model: VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 16), seed: 1), test: test,
                             reference: SyntheticLetters.makeImageSet(count: 52, seed: 4))
        let catalog = ClassCatalog(dataset: LabelledDataset(name: "t", train: test, test: test, classNames: LabelledDataset.letterClassNames))
        return (view, catalog)
    }

    private func render(_ width: Int, _ height: Int, _ state: ExplorerState, _ view: ModelView,
                        style: TerminalCapabilities.PixelStyle = .ascii) -> CellBuffer {
        ExplorerRenderer(capabilities: TerminalCapabilities(pixels: style, colours: false), title: "test")
            .render(width: width, height: height, state: state, view: view,
                    training: TrainingSession.Status(dataName: "synthetic"), message: "hello")
    }

    func testFullFramesHaveTheTerminalSizeAndThePanes() {
        let (view, catalog) = makeView()
        var state = ExplorerState(catalog: catalog)
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            let frame = render(width, height, state, view)
            XCTAssertEqual(frame.width, width)
            XCTAssertEqual(frame.height, height)
            let text = frame.text
            XCTAssertTrue(text.contains("Latent plane"), text)
            XCTAssertTrue(text.contains("Decoded at cursor"))
            XCTAssertTrue(text.contains("t trains"), "idle training keeps to one line:\n\(text)")
            XCTAssertTrue(text.contains("z1 +0.00  z2 +0.00"), text)
            XCTAssertTrue(text.contains("✛"), "the cursor is drawn")
        }
        _ = state.apply(.character("b"))
        _ = state.apply(.character("e"))
        let browse = render(120, 40, state, view).text
        XCTAssertTrue(browse.contains("Browse class 'e'"), browse)
        XCTAssertTrue(browse.contains("reconstruction"))
        XCTAssertTrue(browse.contains("◆"), "the browsed letter is marked on the plane:\n\(browse)")
        _ = state.apply(.character("?"))
        XCTAssertTrue(render(120, 40, state, view).text.contains("Keys"))
    }

    func testTooSmallTerminalShowsOnlyANotice() {
        let (view, catalog) = makeView()
        let frame = render(30, 10, ExplorerState(catalog: catalog), view)
        let lines = frame.text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let notice = lines.filter { !$0.isEmpty }
        XCTAssertEqual(notice.joined(separator: " "),
                       "Terminal too small (30x10): enlarge it to at least 80x24, or press q to quit", "wrapped at spaces, nothing cut")
        XCTAssertTrue(lines.prefix(notice.count).allSatisfy { !$0.isEmpty }, "the notice starts at the top")
    }

    func testScatterDrawsEachClassAsItsLetterInItsColourWithACrosshair() {
        let (view, catalog) = makeView()
        var state = ExplorerState(catalog: catalog)
        _ = state.apply(.character("o"))
        let mono = render(120, 40, state, view).text
        let plane = mono.split(separator: "\n").dropFirst(2).prefix(28).joined()
        XCTAssertTrue(plane.contains { ("a" ... "z").contains($0) }, "without colour, classes are lettered")
        let colour = ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .halfBlocks256, colours: true), title: "t")
            .render(width: 120, height: 40, state: state, view: view, training: .init(dataName: "s"), message: "")
        // In colour too, classes differ by glyph: each cell is its class's letter, in the class's colour.
        let inside = state.layout(width: 120, height: 40)!.plane.interior
        let lettered = (inside.y ..< inside.y + inside.height - 1).flatMap { y in (inside.x ..< inside.x + inside.width).map { colour[$0, y] } }
            .filter { ("a" ... "z").contains($0.character) }
        XCTAssertFalse(lettered.isEmpty, colour.text)
        let colourOf = Dictionary(grouping: lettered, by: \.character).mapValues { Set($0.map(\.style.foreground)) }
        XCTAssertTrue(colourOf.values.allSatisfy { $0.count == 1 }, "one colour per class letter: \(colourOf)")
        XCTAssertGreaterThan(colourOf.count, 3, "several classes, several glyphs")
        // The crosshair runs across the pane through the cursor, both ways.
        let layout = state.layout(width: 120, height: 40)!
        let geometry = PlaneGeometry(area: layout.plane.interior, state: state)
        let position = geometry.screenPosition(state.cursor.pair)!
        let (cx, cy) = (layout.plane.interior.x + Int(position.column), layout.plane.interior.y + Int(position.row))
        let rowCells = (layout.plane.interior.x ..< layout.plane.interior.x + layout.plane.interior.width).map { colour[$0, cy].character }
        let columnCells = (layout.plane.interior.y ..< layout.plane.interior.y + layout.plane.interior.height).map { colour[cx, $0].character }
        XCTAssertGreaterThan(rowCells.filter { $0 == "─" }.count, layout.plane.interior.width / 3, String(rowCells))
        XCTAssertGreaterThan(columnCells.filter { $0 == "│" }.count, layout.plane.interior.height / 3, String(columnCells))
        XCTAssertEqual(colour[cx, cy].character, "✛")
    }

    func testMovingTheCursorChangesTheDecodedLetter() {
        let (view, catalog) = makeView()
        var state = ExplorerState(catalog: catalog)
        let before = render(120, 40, state, view, style: .halfBlocks256)
        _ = state.apply(.bigRight)
        _ = state.apply(.bigUp)
        let after = render(120, 40, state, view, style: .halfBlocks256)
        let side = { (frame: CellBuffer) in (3 ..< 17).flatMap { y in (90 ..< 118).map { frame[$0, y] } } }
        XCTAssertNotEqual(side(before), side(after))
    }
}
