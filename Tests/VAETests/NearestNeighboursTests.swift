import XCTest
import Support
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

    /// `predictions` (the vectorised `lx_nearest_codes`) votes exactly as `classify` does, one query at
    /// a time: codes on a coarse grid make many distances tie, which both must break the same way (the
    /// earlier reference wins), and a NaN code is never a neighbour.
    func testBatchedPredictionsAreTheOneByOneVotes() {
        var generator = SeededGenerator(seed: 31)
        for (dimension, k) in [(1, 1), (2, 5), (3, 7), (16, 5), (2, 40)] {
            let count = 300, queryCount = 97
            var codes = (0 ..< count * dimension).map { _ in Float(Int(generator.nextUniform() * 6)) / 2 }
            codes[5 * dimension] = .nan
            let labels = (0 ..< count).map { _ in Int(generator.nextUniform() * 4) }
            let queries = (0 ..< queryCount * dimension).map { _ in Float(Int(generator.nextUniform() * 12)) / 4 }
            let knn = NearestNeighbours(codes: codes, labels: labels, dimension: dimension)
            let oneByOne = (0 ..< queryCount).map { knn.classify(Array(queries[$0 * dimension ..< ($0 + 1) * dimension]), k: k)! }
            XCTAssertEqual(knn.predictions(queries: queries, k: k), oneByOne, "dimension \(dimension), k \(k)")
        }
        let few = NearestNeighbours(codes: [0, 1], labels: [3, 4], dimension: 1)
        XCTAssertEqual(few.predictions(queries: [0.9], k: 5), [few.classify([0.9], k: 5)!], "k above the references")
    }
}
