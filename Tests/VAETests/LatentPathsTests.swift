import XCTest
@testable import VAE

final class LatentPathsTests: XCTestCase {
    func testInterpolationIncludesBothEndsEvenlySpaced() {
        let points = LatentPaths.interpolation(from: [0, 10, -1], to: [4, 10, 1], steps: 5)
        XCTAssertEqual(points, [0, 10, -1, 1, 10, -0.5, 2, 10, 0, 3, 10, 0.5, 4, 10, 1])
        XCTAssertEqual(LatentPaths.interpolation(from: [1], to: [2], steps: 1), [1])
        XCTAssertEqual(LatentPaths.interpolation(from: [1], to: [2], steps: 0), [])
    }

    func testTraversalSweepsOneDimensionAndHoldsTheRest() {
        let points = LatentPaths.traversal(of: [5, 6, 7], dimension: 1, range: 3, steps: 4)
        XCTAssertEqual(points, [5, -3, 7, 5, -1, 7, 5, 1, 7, 5, 3, 7])
        XCTAssertEqual(LatentPaths.sweepValue(0, of: 1, range: 3), 0)
    }

    func testNearestCode() {
        let codes: [Float] = [0, 0, 3, 4, -1, -1]
        let hit = NearestCode.find([2.5, 3.5], in: codes, dimension: 2)
        XCTAssertEqual(hit?.index, 1)
        XCTAssertEqual(hit?.distance ?? 0, Float(0.5).squareRoot(), accuracy: 1e-6)
        XCTAssertNil(NearestCode.find([0, 0], in: [], dimension: 2))
    }
}
