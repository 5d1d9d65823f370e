import XCTest
@testable import LetterData

/// The measures on shapes whose answers are known by construction.
final class LetterStatisticsTests: XCTestCase {
    /// A 28x28 image with `value` wherever `inside(x, y)` holds.
    private func image(_ value: UInt8 = 255, _ inside: (Int, Int) -> Bool) -> ArraySlice<UInt8> {
        var pixels = [UInt8](repeating: 0, count: 784)
        for y in 0 ..< 28 { for x in 0 ..< 28 where inside(x, y) { pixels[y * 28 + x] = value } }
        return pixels[...]
    }

    func testUprightBarHasItsWidthHeightAndNoSlant() {
        // Columns 12...14, rows 4...23: a bar 3 wide and 20 tall, centred horizontally at 13.5.
        let m = LetterMeasures(image: image { (12 ... 14).contains($0) && (4 ... 23).contains($1) })
        XCTAssertEqual(m.width, 3)
        XCTAssertEqual(m.height, 20)
        XCTAssertEqual(m.strokePixels, 60)
        XCTAssertEqual(m.ink, 60, accuracy: 1e-9)
        XCTAssertEqual(m.boxCentreX, -0.5, accuracy: 1e-9)
        XCTAssertEqual(m.boxCentreY, 0, accuracy: 1e-9)
        XCTAssertEqual(m.centroidX, -0.5, accuracy: 1e-9)
        XCTAssertEqual(m.slant, 0, accuracy: 1e-9)
        XCTAssertEqual(m.softEdgeFraction, 0)
        // The skeleton of a 3-wide bar is one pixel wide and nearly as long as the bar.
        XCTAssertEqual(m.strokeWidth, 3, accuracy: 0.35)
    }

    func testThickerPenMeasuresThicker() {
        let thin = LetterMeasures(image: image { (13 ... 14).contains($0) && (4 ... 23).contains($1) })
        let thick = LetterMeasures(image: image { (11 ... 16).contains($0) && (4 ... 23).contains($1) })
        XCTAssertEqual(thin.strokeWidth, 2, accuracy: 0.3)
        XCTAssertEqual(thick.strokeWidth, 6, accuracy: 1)
    }

    /// A bar whose top is further right than its bottom leans right: positive slant, about its shear.
    func testSlantSignAndSize() {
        let shear = 0.25
        let leaning = LetterMeasures(image: image { x, y in
            let centre = 14 + shear * (14 - Double(y))
            return abs(Double(x) + 0.5 - centre) <= 1.5 && (4 ... 23).contains(y)
        })
        XCTAssertEqual(leaning.slant, shear, accuracy: 0.05)
        let mirrored = LetterMeasures(image: image { x, y in
            let centre = 14 - shear * (14 - Double(y))
            return abs(Double(x) + 0.5 - centre) <= 1.5 && (4 ... 23).contains(y)
        })
        XCTAssertEqual(mirrored.slant, -shear, accuracy: 0.05)
    }

    func testSoftEdgesAndBrightnessBands() {
        let soft = image(100) { (10 ... 17).contains($0) && (10 ... 17).contains($1) }
        let m = LetterMeasures(image: soft)
        XCTAssertEqual(m.softEdgeFraction, 1)
        XCTAssertEqual(m.strokePixels, 0)
        XCTAssertEqual(m.strokeWidth, 0)
        let statistics = LetterStatistics(ImageSet(pixels: Array(soft), labels: [1]))
        let band = LetterStatistics.pixelBands.firstIndex { $0.name == "64-127" }!
        XCTAssertEqual(statistics.pixelBandShares[band], 64.0 / 784, accuracy: 1e-12)
        XCTAssertEqual(statistics.pixelBandShares.reduce(0, +), 1, accuracy: 1e-12)
    }

    func testEmptyImageMeasuresZero() {
        let m = LetterMeasures(image: image { _, _ in false })
        XCTAssertEqual(m.ink, 0)
        XCTAssertEqual(m.width, 0)
        XCTAssertEqual(m.slant, 0)
        XCTAssertEqual(m.strokeWidth, 0)
    }

    func testSummaryMeanSpreadAndDeciles() {
        let summary = LetterStatistics.Summary((1 ... 11).map(Double.init))
        XCTAssertEqual(summary.mean, 6)
        XCTAssertEqual(summary.standardDeviation, (10.0).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(summary.p10, 2)
        XCTAssertEqual(summary.median, 6)
        XCTAssertEqual(summary.p90, 10)
    }

    /// Thinning keeps a connected one-pixel skeleton: a filled disc thins to a handful of pixels,
    /// a ring to a closed loop about as long as its circumference.
    func testThinningOfDiscAndRing() {
        var disc = [Bool](repeating: false, count: 784), ring = disc
        for y in 0 ..< 28 {
            for x in 0 ..< 28 {
                let r = ((Double(x) - 13.5) * (Double(x) - 13.5) + (Double(y) - 13.5) * (Double(y) - 13.5)).squareRoot()
                disc[y * 28 + x] = r <= 6
                ring[y * 28 + x] = r >= 7 && r <= 10
            }
        }
        XCTAssertLessThanOrEqual(Thinning.skeleton(disc, side: 28).filter { $0 }.count, 4)
        let loop = Thinning.skeleton(ring, side: 28).filter { $0 }.count
        XCTAssertEqual(Double(loop), 2 * .pi * 8.5 * 0.85, accuracy: 12, "ring skeleton length \(loop)")
    }

    /// On synthetic letters, whose forms are known, the census recovers the shares they were drawn with.
    func testFormCensusRecoversTheGeneratorsShares() {
        let letters = SyntheticLetters.makeImageSet(count: 3_900, seed: 21)
        let census = LetterFormCensus(letters, rendersPerForm: 120)
        XCTAssertEqual(Set(census.shares.keys), Set(LabelledDataset.letterLabels).subtracting(LetterFormCensus.formsLookAlike))
        for (label, shares) in census.shares {
            XCTAssertEqual(shares.reduce(0, +), 1, accuracy: 1e-9)
            for (form, share) in zip(LetterForms.forms(label: label), shares) {
                XCTAssertEqual(share, Double(form.share), accuracy: 0.15, "class \(label), \(form.name)")
            }
        }
    }
}
