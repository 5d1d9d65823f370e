import FileFormats
import XCTest
@testable import LetterData

/// What `LetterPreparation` does to a real photo before the EMNIST steps: the paper's lighting taken
/// out (`PaperNormalisation`), ruled lines removed (`RuledLines`), specks and neighbours' strokes
/// dropped (`LetterComponents`), and the strokes brought to EMNIST's width (`StrokeWidth`).
final class PhotoInkTests: XCTestCase {
    /// An ink map of `width x height` with the rectangles given set to 1.
    private func ink(_ width: Int, _ height: Int, _ boxes: [(x: Range<Int>, y: Range<Int>)]) -> [Float] {
        var out = [Float](repeating: 0, count: width * height)
        for box in boxes { for y in box.y { for x in box.x { out[y * width + x] = 1 } } }
        return out
    }

    /// A lamp on the left: the paper goes from 250 to 130 across the page, darker than the ink's
    /// contrast. The shadow is not ink; the letter is.
    func testUnevenLightingIsPaperNotInk() {
        let w = 200, h = 160
        var page = [UInt8](repeating: 0, count: w * h)
        for y in 0 ..< h { for x in 0 ..< w { page[y * w + x] = UInt8(250 - 120 * x / (w - 1)) } }
        for y in 40 ..< 120 { for x in 150 ..< 156 { page[y * w + x] = UInt8(Int(page[y * w + x]) - 100) } }   // a stem in the shadow
        let levels = PaperNormalisation.ink(RasterImage(width: w, height: h, luminance: page), darkInk: true)
        XCTAssertGreaterThan(levels[80 * w + 152], 0.8, "the stem is ink")
        for x in stride(from: 0, to: w, by: 10) where !(140 ..< 166).contains(x) {
            XCTAssertLessThan(levels[20 * w + x], 0.1, "paper at x = \(x) is not ink")
        }
    }

    func testRuledLinesGoAndAStrokeCrossingThemStays() {
        let w = 150, h = 120
        var map = [Float](repeating: 0, count: w * h)
        for row in [20, 55, 90] {
            for x in 0 ..< w { let y = row + x / 50; map[y * w + x] = 0.5; map[(y + 1) * w + x] = 0.5 }   // askew by 2 %
        }
        for y in 10 ..< 110 { for x in 70 ..< 76 { map[y * w + x] = 1 } }   // a stem crossing the three lines
        let cleaned = RuledLines.remove(map, width: w, height: h)
        for x in [5, 40, 110, 145] {
            for row in [20, 55, 90] { XCTAssertEqual(cleaned[(row + x / 50) * w + x], 0, "line pixel at x = \(x)") }
        }
        for y in 10 ..< 110 { XCTAssertEqual(cleaned[y * w + 72], 1, "the stem at y = \(y)") }
    }

    /// page05.jpg's ruled lines (the development photos' `lined-*.png`) drop 6 % across a crop: a page
    /// photographed about 3.5° askew. At a 3 % slope allowance the middle of the M's line stayed as a bar.
    func testRuledLinesSixPercentAskewGo() {
        let w = 180, h = 120
        var map = [Float](repeating: 0, count: w * h)
        for row in [15, 70] {
            for x in 0 ..< w { let y = row + 6 * x / 100; map[y * w + x] = 0.5; map[(y + 1) * w + x] = 0.5 }
        }
        for y in 5 ..< 110 { for x in 100 ..< 105 { map[y * w + x] = 1 } }   // a stem crossing both lines
        let cleaned = RuledLines.remove(map, width: w, height: h)
        for x in [5, 50, 150, 175] {
            for row in [15, 70] { XCTAssertEqual(cleaned[(row + 6 * x / 100) * w + x], 0, "line pixel at x = \(x)") }
        }
        for y in 5 ..< 110 { XCTAssertEqual(cleaned[y * w + 102], 1, "the stem at y = \(y)") }
    }

    /// A close crop's line is thicker in stretches than the thin-line limit (page05's lines in the
    /// 85-pixel crop lined-r.png): the thin stretches go by the run rule, and the thick ones left as
    /// dashes go with them; the dot of an i just under the line, and the stem, stay.
    func testARuledLineThickInStretchesLeavesNoDashesTheDotStays() {
        let w = 70, h = 90
        var map = [Float](repeating: 0, count: w * h)
        for x in 0 ..< w {
            let thick = (x / 10) % 2 == 1 ? 6 : 2   // 2 pixels, then 6, every 10 columns
            for y in 16 ..< 16 + thick { map[y * w + x] = 0.8 }
        }
        let dot: (x: Range<Int>, y: Range<Int>) = (33 ..< 37, 25 ..< 29), stem: (x: Range<Int>, y: Range<Int>) = (33 ..< 37, 34 ..< 80)
        for box in [dot, stem] { for y in box.y { for x in box.x { map[y * w + x] = 1 } } }
        let cleaned = RuledLines.remove(map, width: w, height: h)
        for y in 0 ..< 24 { for x in 0 ..< w { XCTAssertEqual(cleaned[y * w + x], 0, "line pixel at (\(x), \(y))") } }
        for box in [dot, stem] { for y in box.y { for x in box.x { XCTAssertEqual(cleaned[y * w + x], 1, "letter pixel at (\(x), \(y))") } } }
    }

    func testALetterWithAStrokeAsWideAsThePictureIsNotALine() {
        let w = 100, h = 100
        let t = ink(w, h, [(10 ..< 90, 10 ..< 16), (47 ..< 53, 16 ..< 90)])   // a T whose bar stops short of the edges
        XCTAssertEqual(RuledLines.remove(t, width: w, height: h), t)
    }

    func testSpecksAndNeighboursAtTheEdgeAreDroppedTheDotOfAnIStays() {
        let w = 100, h = 100
        let letter: [(x: Range<Int>, y: Range<Int>)] = [(45 ..< 53, 35 ..< 85), (45 ..< 53, 20 ..< 28)]   // an i: stem and dot
        let noise: [(x: Range<Int>, y: Range<Int>)] = [(20 ..< 22, 50 ..< 52), (90 ..< 100, 30 ..< 60)]  // a speck, a neighbour cut by the edge
        let kept = LetterComponents.keepLetter(ink(w, h, letter + noise), width: w, height: h)
        XCTAssertEqual(kept, ink(w, h, letter))
    }

    /// A ballpoint-thin letter comes out of the preparation with EMNIST's stroke width; a letter that
    /// already has it is left as it is.
    func testThinStrokesAreThickenedToEMNISTsWidth() {
        let w = 300, h = 300
        let thin = ink(w, h, [(100 ..< 103, 40 ..< 260), (100 ..< 220, 257 ..< 260)])   // an L drawn with a 3-pixel pen
        let plain = LetterPreparation.frameAndResample(thin, width: w, height: h)!.pixels
        XCTAssertLessThan(StrokeWidth.estimate(plain), StrokeWidth.emnistThinnest)
        let prepared = LetterPreparation.prepare(ink: thin, width: w, height: h)!.map { Float($0) / 255 }
        let width = StrokeWidth.estimate(prepared)
        XCTAssertGreaterThanOrEqual(width, StrokeWidth.emnistThinnest)
        XCTAssertLessThanOrEqual(width, StrokeWidth.emnistThickest)

        let emnistLike = ink(28, 28, [(9 ..< 12, 6 ..< 22), (9 ..< 19, 19 ..< 22)])
        let direct = LetterPreparation.frameAndResample(emnistLike, width: 28, height: 28)!.pixels
        XCTAssertEqual(StrokeWidth.correction(width: StrokeWidth.estimate(direct), scale: 1), 0)
    }

    func testStrokeWidthEstimateOfABar() {
        XCTAssertEqual(StrokeWidth.estimate(ink(28, 28, [(4 ..< 24, 10 ..< 13)])), 3, accuracy: 0.2, "a bar 3 wide")
        XCTAssertEqual(StrokeWidth.dilate(ink(5, 3, [(2 ..< 3, 1 ..< 2)]), width: 5, height: 3, radius: 1),
                       ink(5, 3, [(1 ..< 4, 0 ..< 3)]))
        XCTAssertEqual(StrokeWidth.correction(width: 1, scale: 10), 9, "(2.74 - 1) / 2 output pixels, 10 source pixels each")
        XCTAssertEqual(StrokeWidth.correction(width: 6, scale: 10), 0, "never thinned")
    }
}
