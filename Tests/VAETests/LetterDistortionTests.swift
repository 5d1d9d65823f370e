import XCTest
import Support
@testable import LetterData

/// The small random affine distortions that vary repeated real letters (`LetterDistortion`,
/// `ImageSet.distortedCopies`).
final class LetterDistortionTests: XCTestCase {
    /// A synthetic letter of each of a few classes: real-looking ink to move about.
    private let letters = SyntheticLetters.makeImageSet(count: 6, seed: 5)

    private func ink(_ image: some Collection<UInt8>) -> Double { image.reduce(0) { $0 + Double($1) } }

    /// The centre of the ink, (x, y) in pixels.
    private func centroid(_ image: [UInt8]) -> (Double, Double) {
        var (x, y, total) = (0.0, 0.0, 0.0)
        for (offset, value) in image.enumerated() {
            x += Double(offset % ImageSet.side) * Double(value)
            y += Double(offset / ImageSet.side) * Double(value)
            total += Double(value)
        }
        return (x / total, y / total)
    }

    func testCopiesKeepTheOriginalFirstAndTheLabels() {
        let copies = [1, 3, 2, 1, 4, 1]
        let result = letters.distortedCopies(copies, seed: 9)
        XCTAssertEqual(result.count, copies.reduce(0, +))
        XCTAssertEqual(result.labels, zip(letters.labels, copies).flatMap { Array(repeating: $0.0, count: $0.1) })
        var position = 0
        for index in 0 ..< letters.count {
            XCTAssertEqual(Array(result.image(position)), Array(letters.image(index)), "copy 0 of image \(index) is the image")
            for copy in 1 ..< copies[index] {
                XCTAssertNotEqual(Array(result.image(position + copy)), Array(letters.image(index)), "a later copy is distorted")
            }
            position += copies[index]
        }
    }

    func testTheSameSeedGivesTheSameBytesAndAnotherSeedOthers() {
        let copies = Array(repeating: 3, count: letters.count)
        XCTAssertEqual(letters.distortedCopies(copies, seed: 9).pixels, letters.distortedCopies(copies, seed: 9).pixels)
        XCTAssertNotEqual(letters.distortedCopies(copies, seed: 9).pixels, letters.distortedCopies(copies, seed: 10).pixels)
    }

    /// Small distortions: the ink stays within a band of its amount (scale changes the area by at most
    /// 0.85² to 1.05², blur of resampling aside) and its centre moves by a few pixels at most.
    func testADistortionIsSmall() {
        var generator = SeededGenerator(seed: 3)
        for index in 0 ..< letters.count {
            let original = Array(letters.image(index))
            for _ in 0 ..< 20 {
                let distorted = LetterDistortion.distorted(letters.image(index), using: &generator)
                let ratio = ink(distorted) / ink(original)
                XCTAssertGreaterThan(ratio, 0.6, "image \(index) lost too much ink")
                XCTAssertLessThan(ratio, 1.25, "image \(index) gained too much ink")
                let (a, b) = (centroid(original), centroid(distorted))
                XCTAssertLessThan(hypot(a.0 - b.0, a.1 - b.1), 4, "image \(index)'s ink moved too far")
            }
        }
    }

    /// A single lit pixel at the centre stays near the centre: the map is about the image's centre.
    func testTheMapIsAboutTheCentre() {
        var image = [UInt8](repeating: 0, count: ImageSet.pixelCount)
        for row in 12 ... 15 { for column in 12 ... 15 { image[row * ImageSet.side + column] = 255 } }
        var generator = SeededGenerator(seed: 4)
        for _ in 0 ..< 50 {
            let (x, y) = centroid(LetterDistortion.distorted(image[...], using: &generator))
            XCTAssertLessThan(hypot(x - 13.5, y - 13.5), Double(LetterDistortion.maximumShift) * 1.5 + 0.1)
        }
    }
}
