import XCTest
@testable import VAE

final class NearestNeighboursTests: XCTestCase {
    func testMajorityOfTheFiveNearest() {
        // Class 1 around (0, 0), class 2 around (10, 10).
        let codes: [Float] = [0, 0, 0.1, 0, 0, 0.1, -0.1, 0, 10, 10, 10.1, 10, 10, 9.9]
        let labels = [1, 1, 1, 1, 2, 2, 2]
        let knn = NearestNeighbours(codes: codes, labels: labels, dimension: 2)
        XCTAssertEqual(knn.classify([0.2, 0.2], k: 5), 1)   // 4 of class 1, 1 of class 2
        XCTAssertEqual(knn.classify([9, 9], k: 3), 2)
        XCTAssertEqual(knn.accuracy(queries: [0, 0, 10, 10, 9, 9], expected: [1, 2, 1], k: 3), 2.0 / 3.0, accuracy: 1e-12)
    }
}
