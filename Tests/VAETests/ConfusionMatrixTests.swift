import XCTest
@testable import VAE

final class ConfusionMatrixTests: XCTestCase {
    /// 10 fours (7 right, 2 called nine, 1 called seven), 5 sevens (3 right, 2 called nine), 4 nines
    /// (all right): the pairs by share of the true class are 7→9 40 %, 4→9 20 %; 4→7 is seen once only.
    func testAccuracyPerClassAndTheMostConfusedPairs() {
        let actual = [Int](repeating: 4, count: 10) + [Int](repeating: 7, count: 5) + [Int](repeating: 9, count: 4)
        let predicted = [Int](repeating: 4, count: 7) + [9, 9, 7] + [7, 7, 7, 9, 9] + [9, 9, 9, 9]
        let matrix = ConfusionMatrix(actual: actual, predicted: predicted)
        XCTAssertEqual(matrix.classes, [4, 7, 9])
        XCTAssertEqual(matrix.accuracy(of: 4), 0.7, accuracy: 1e-12)
        XCTAssertEqual(matrix.accuracy(of: 7), 0.6, accuracy: 1e-12)
        XCTAssertEqual(matrix.accuracy(of: 9), 1)
        XCTAssertEqual(matrix.accuracy, 14.0 / 19, accuracy: 1e-12)
        XCTAssertEqual(matrix.mostConfused(limit: 5), [
            .init(actual: 7, predicted: 9, count: 2, fraction: 0.4),
            .init(actual: 4, predicted: 9, count: 2, fraction: 0.2),
        ])
        XCTAssertEqual(matrix.mostConfused(limit: 5, minimumCount: 1).last, .init(actual: 4, predicted: 7, count: 1, fraction: 0.1))
        XCTAssertEqual(matrix.mostConfused(limit: 1).count, 1)
        XCTAssertEqual(ConfusionMatrix(actual: [], predicted: []).accuracy, 0)
    }
}
