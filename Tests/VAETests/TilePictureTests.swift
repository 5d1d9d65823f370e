import FoundationXML
import XCTest
@testable import FileFormats
@testable import Pictures

final class TilePictureTests: XCTestCase {
    /// Two rows of three 4x3 tiles, each tile filled with its own grey.
    private func picture(title: String = "T", rowLabels: [String] = ["a", "bb"], columnLabels: [String] = ["-1", "0", "1"]) -> TilePicture {
        let tiles = (0 ..< 6).flatMap { [UInt8](repeating: UInt8(10 + $0 * 40), count: 12) }
        return TilePicture(title: title, rows: 2, columns: 3, tileWidth: 4, tileHeight: 3, tiles: tiles,
                           rowLabels: rowLabels, columnLabels: columnLabels, columnCaption: "z1 →", rowCaption: "z2 ↑")
    }

    func testRasterPutsEveryTileAtItsLayoutOriginWithPaperBetween() {
        let picture = picture()
        let layout = picture.layout
        let raster = picture.raster()
        XCTAssertEqual(raster.pixels.count, layout.width * layout.height)
        for tile in 0 ..< 6 {
            let origin = layout.tileOrigin(row: tile / 3, column: tile % 3)
            for y in 0 ..< 3 {
                for x in 0 ..< 4 { XCTAssertEqual(raster.pixels[(origin.y + y) * layout.width + origin.x + x], UInt8(10 + tile * 40)) }
            }
            // The gap right of each tile but the last in its row is paper.
            if tile % 3 < 2 {
                XCTAssertEqual(raster.pixels[origin.y * layout.width + origin.x + 4], TilePicture.paper)
            }
        }
        XCTAssertEqual(layout.tileOrigin(row: 1, column: 2).x - layout.tileOrigin(row: 1, column: 1).x, 4 + TilePicture.Layout.gap)
        // Every text line lies inside the picture, and some ink was set for it.
        for line in layout.texts {
            XCTAssertGreaterThanOrEqual(line.x, 0)
            XCTAssertLessThanOrEqual(line.x + BitmapFont.width(of: line.text), layout.width)
            XCTAssertLessThanOrEqual(line.y + BitmapFont.glyphHeight, layout.height)
        }
        // The 4-unit tiles are too narrow for more than the first column label.
        XCTAssertEqual(Set(layout.texts.map(\.text)), ["T", "a", "bb", "-1", "z1 →", "z2 ↑"])
        XCTAssertTrue(raster.pixels.contains(TilePicture.ink))
    }

    func testPNGScalesBothSidesExactly() throws {
        let picture = picture()
        let one = picture.png(scale: 1), four = picture.png(scale: 4)
        XCTAssertEqual(one.width, picture.layout.width)
        XCTAssertEqual(four.width, 4 * one.width)
        XCTAssertEqual(four.height, 4 * one.height)
        XCTAssertEqual(one.bytes, PNGEncoder.encodeGray(width: one.width, height: one.height, pixels: picture.raster().pixels))
    }

    func testALongTitleWidensThePicture() {
        let long = String(repeating: "word ", count: 30)
        XCTAssertGreaterThanOrEqual(picture(title: long).layout.width, BitmapFont.width(of: long))
        XCTAssertLessThan(picture().layout.width, BitmapFont.width(of: long))
    }

    func testColumnLabelsAreThinnedSoTheyNeverTouch() {
        let labels = (0 ..< 21).map { TilePicture.label(-3 + Float($0) * 0.3) }
        let shown = TilePicture.Layout.shownColumns(labels, pitch: 28 + TilePicture.Layout.gap)
        XCTAssertEqual(shown.first, 0)
        XCTAssertEqual(shown.last, 20, "a stride that divides 20 shows the last column too")
        let widest = labels.map(BitmapFont.width).max()!
        let stride = shown[1] - shown[0]
        XCTAssertGreaterThanOrEqual(stride * (28 + TilePicture.Layout.gap), widest + TilePicture.Layout.labelSpacing)
        XCTAssertEqual(TilePicture.Layout.shownColumns(["0", "1", "2"], pitch: 31), [0, 1, 2])
    }

    func testLabelsAreShortDecimals() {
        XCTAssertEqual([-3, -2.5, -0.004, 0, 0.27, 1.05, 2.1, 10].map { TilePicture.label(Float($0)) },
                       ["-3", "-2.5", "0", "0", "0.27", "1.05", "2.1", "10"])
        // write --style 1e30,1 trapped here: the hundredths of 1e30 do not fit an Int.
        XCTAssertEqual([1e30, -3e38, .infinity, .nan].map { TilePicture.label(Float($0)) }, ["1e+30", "-3e+38", "inf", "nan"])
    }

    /// Well-formed XML (parsed), the stated size, a group per tile, text escaped, no rectangle for black.
    func testSVGIsWellFormedWithOneGroupPerTile() throws {
        var picture = picture(title: "a <b> & \"c\"")
        picture.tiles[0] = 0
        let svg = picture.svg(scale: 3)
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = ElementCollector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        XCTAssertEqual(collector.attributes.first?["width"], String(3 * picture.layout.width))
        XCTAssertEqual(collector.attributes.first?["viewBox"], "0 0 \(picture.layout.width) \(picture.layout.height)")
        XCTAssertEqual(collector.names.filter { $0 == "g" }.count, 6)
        XCTAssertTrue(collector.text.contains("a <b> & \"c\""))
        XCTAssertTrue(svg.contains("fill=\"#0a0a0a\"") || svg.contains("fill=\"#080808\""), "the darkest tile's grey, rounded to a level")
    }

    func testGreyValuesRoundAndClamp() {
        XCTAssertEqual(TilePicture.greyValues([-0.5, 0, 0.5, 1, 2]), [0, 0, 128, 255, 255])
    }
}

/// Collects the elements, attributes and text an XMLParser reports.
private final class ElementCollector: NSObject, XMLParserDelegate {
    var names: [String] = []
    var attributes: [[String: String]] = []
    var text = ""

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes attributeDict: [String: String] = [:]) {
        names.append(elementName)
        attributes.append(attributeDict)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
