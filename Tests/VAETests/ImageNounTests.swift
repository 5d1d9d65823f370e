import XCTest
@testable import LetterData

final class ImageNounTests: XCTestCase {
    func testTheClassesNameTheNoun() {
        XCTAssertEqual(ImageNoun(classNames: ["a", "e", "i"]), .letters)
        XCTAssertEqual(ImageNoun(classNames: (0 ... 9).map(String.init)), .digits)
        XCTAssertEqual(ImageNoun(classNames: ["T-shirt/top", "Bag"]), .items)
        XCTAssertEqual(ImageNoun(classNames: []), .images)
        XCTAssertEqual(ImageNoun.digits.singular, "digit")
    }

    func testWithoutClassesTheDatasetNameDecides() {
        XCTAssertEqual(ImageNoun(classNames: [], datasetName: "synthetic-letters"), .letters)
        XCTAssertEqual(ImageNoun(classNames: [], datasetName: "fashion-mnist"), .items)
        XCTAssertEqual(ImageNoun(classNames: [], datasetName: "mnist (idx)"), .digits)
        XCTAssertEqual(ImageNoun(classNames: [], datasetName: "untrained"), .images)
    }
}
