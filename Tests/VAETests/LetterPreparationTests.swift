import FileFormats
import XCTest
@testable import LetterData

/// The EMNIST-style preparation (`LetterPreparation`): polarity read from the paper, a 28x28
/// light-on-dark image taken as is, and photos of any size, position and contrast brought to the same
/// centred, margined 28x28 letter.
final class LetterPreparationTests: XCTestCase {
    /// A letter as the data sets store it: an "L" with a short bar, 0 background, 255 ink.
    private let letter: [UInt8] = {
        var p = [UInt8](repeating: 0, count: 784)
        for y in 6 ..< 22 { for x in 9 ..< 12 { p[y * 28 + x] = 255 } }   // the stem
        for y in 19 ..< 22 { for x in 9 ..< 19 { p[y * 28 + x] = 255 } }  // the foot
        return p
    }()

    /// `pixels` (28x28, ink 255) as a photo: upscaled `factor` times, dark ink on light paper, at
    /// (`left`, `top`) of a `width x height` page.
    private func photo(_ pixels: [UInt8], factor: Int, width: Int, height: Int, left: Int, top: Int,
                       paper: UInt8 = 225, ink: UInt8 = 35) -> RasterImage {
        var page = [UInt8](repeating: paper, count: width * height)
        for y in 0 ..< 28 * factor {
            for x in 0 ..< 28 * factor {
                let value = Float(pixels[(y / factor) * 28 + x / factor]) / 255
                page[(top + y) * width + left + x] = UInt8(Float(paper) + (Float(ink) - Float(paper)) * value)
            }
        }
        return RasterImage(width: width, height: height, luminance: page)
    }

    private func meanDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.count)
    }

    /// The ink's bounding box at threshold 64 in a prepared 28x28.
    private func box(_ p: [UInt8]) -> (minX: Int, maxX: Int, minY: Int, maxY: Int) {
        var b = (minX: 28, maxX: -1, minY: 28, maxY: -1)
        for y in 0 ..< 28 { for x in 0 ..< 28 where p[y * 28 + x] >= 64 {
            b.minX = min(b.minX, x); b.maxX = max(b.maxX, x); b.minY = min(b.minY, y); b.maxY = max(b.maxY, y)
        } }
        return b
    }

    func testLightOnDark28x28IsTakenAsIs() {
        let prepared = LetterPreparation.prepare(RasterImage(width: 28, height: 28, luminance: letter))
        XCTAssertTrue(prepared.takenAsIs)
        XCTAssertEqual(prepared.polarity, .lightOnDark)
        XCTAssertEqual(prepared.pixels, letter)
    }

    func testDarkInkPhotoIsInvertedFramedAndCentred() {
        let prepared = LetterPreparation.prepare(photo(letter, factor: 6, width: 300, height: 260, left: 40, top: 70))
        XCTAssertEqual(prepared.polarity, .darkOnLight)
        XCTAssertFalse(prepared.takenAsIs)
        XCTAssertFalse(prepared.blank)
        // The letter's frame (10 wide, 16 tall) is scaled so its height spans the 24 pixels inside the margins.
        let b = box(prepared.pixels)
        XCTAssertEqual(b.maxY - b.minY + 1, 24, accuracy: 1)
        XCTAssertEqual(b.minY, 2, accuracy: 1)
        XCTAssertEqual(b.maxX - b.minX + 1, 15, accuracy: 1, "the aspect ratio is kept: 10/16 of 24")
        XCTAssertEqual(b.minX + b.maxX, 27, accuracy: 1, "centred across")
        XCTAssertEqual(prepared.pixels.max(), 255, "intensities stretched to the full range")
    }

    /// Where the letter sits on the page, how large it is and the paper's contrast change nothing much.
    func testPositionScaleAndContrastDoNotMatter() {
        let a = LetterPreparation.prepare(photo(letter, factor: 6, width: 300, height: 260, left: 40, top: 70)).pixels
        let b = LetterPreparation.prepare(photo(letter, factor: 8, width: 400, height: 300, left: 150, top: 5, paper: 250, ink: 90)).pixels
        let c = LetterPreparation.prepare(photo(letter, factor: 5, width: 200, height: 200, left: 0, top: 40, paper: 180, ink: 0)).pixels
        XCTAssertLessThan(meanDifference(a, b), 8)
        XCTAssertLessThan(meanDifference(a, c), 8)
        // And the photo's preparation agrees with preparing the 28x28 letter itself.
        let direct = LetterPreparation.prepare(ink: letter.map { Float($0) / 255 }, width: 28, height: 28)!
        XCTAssertLessThan(meanDifference(a, direct), 15)
    }

    func testTallStrokeKeepsItsAspectRatio() {
        var page = [UInt8](repeating: 255, count: 100 * 100)
        for y in 20 ..< 60 { for x in 70 ..< 80 { page[y * 100 + x] = 0 } }   // 10 wide, 40 tall
        let p = LetterPreparation.prepare(RasterImage(width: 100, height: 100, luminance: page)).pixels
        let b = box(p)
        XCTAssertEqual(b.maxY - b.minY + 1, 24, accuracy: 1)
        XCTAssertEqual(b.maxX - b.minX + 1, 6, accuracy: 1)
        XCTAssertEqual(b.minX + b.maxX, 27, accuracy: 1)
        for x in 0 ..< 28 { XCTAssertLessThan(p[x], 64); XCTAssertLessThan(p[27 * 28 + x], 64) }   // the margin stays blank
    }

    func testBlankPageIsBlank() {
        let prepared = LetterPreparation.prepare(RasterImage(width: 50, height: 40, luminance: [UInt8](repeating: 200, count: 2000)))
        XCTAssertTrue(prepared.blank)
        XCTAssertEqual(prepared.pixels, [UInt8](repeating: 0, count: 784))
        XCTAssertNil(LetterPreparation.prepare(ink: [Float](repeating: 0, count: 100), width: 10, height: 10))
    }

    /// A dark-on-light 28x28 (a drawing saved black on white) is inverted and prepared, not taken as is.
    func testDarkOnLight28x28IsInverted() {
        let prepared = LetterPreparation.prepare(RasterImage(width: 28, height: 28, luminance: letter.map { 255 - $0 }))
        XCTAssertEqual(prepared.polarity, .darkOnLight)
        XCTAssertFalse(prepared.takenAsIs)
        XCTAssertEqual(box(prepared.pixels).maxY - box(prepared.pixels).minY + 1, 24, accuracy: 1)
    }

    /// Paper photographed in dim light is darker than mid-grey: the ink is still read as dark, because
    /// the picture reaches further below the paper than above it. Chalk on a dark board stays light ink.
    func testGreyPaperInADimPhotoStillHasDarkInk() {
        let dim = LetterPreparation.prepare(photo(letter, factor: 6, width: 300, height: 260, left: 40, top: 70, paper: 100, ink: 20))
        XCTAssertEqual(dim.polarity, .darkOnLight)
        let direct = LetterPreparation.prepare(photo(letter, factor: 6, width: 300, height: 260, left: 40, top: 70))
        XCTAssertLessThan(meanDifference(dim.pixels, direct.pixels), 8)
        let chalk = LetterPreparation.prepare(photo(letter, factor: 6, width: 300, height: 260, left: 40, top: 70, paper: 60, ink: 230))
        XCTAssertEqual(chalk.polarity, .lightOnDark)
        XCTAssertLessThan(meanDifference(chalk.pixels, direct.pixels), 8)
    }

    func testGaussianBlurKeepsInkAndIsSymmetric() {
        var impulse = [Float](repeating: 0, count: 21 * 21)
        impulse[10 * 21 + 10] = 1
        let blurred = GaussianBlur.apply(impulse, width: 21, height: 21, sigma: 1.5)
        XCTAssertEqual(blurred.reduce(0, +), 1, accuracy: 1e-4)
        XCTAssertEqual(blurred[10 * 21 + 7], blurred[10 * 21 + 13], accuracy: 1e-6)
        XCTAssertEqual(blurred[7 * 21 + 10], blurred[10 * 21 + 7], accuracy: 1e-6)
        XCTAssertLessThan(blurred[10 * 21 + 10], 0.1)
    }
}
