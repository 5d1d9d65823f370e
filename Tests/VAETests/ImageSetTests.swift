import XCTest
@testable import LetterData

final class ImageSetTests: XCTestCase {
    func testFilterKeepsOrderAndPixels() {
        let pixels = (0 ..< 3).flatMap { [UInt8](repeating: UInt8($0), count: ImageSet.pixelCount) }
        let set = ImageSet(pixels: pixels, labels: [1, 2, 1])
        let ones = set.filtered(labels: [1])
        XCTAssertEqual(ones.labels, [1, 1])
        XCTAssertEqual(ones.image(1).first, 2)
    }
}
