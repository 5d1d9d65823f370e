import XCTest
@testable import VAE

final class ActiveUnitsTests: XCTestCase {
    /// Three dimensions over four codes: one varies a lot, one barely (variance 0.0025, below 0.01),
    /// one not at all.
    func testOnlyDimensionsWhoseMeanMovesCount() {
        let codes: [Float] = [
            -1, 0.05, 3,
             1, -0.05, 3,
            -1, 0.05, 3,
             1, -0.05, 3,
        ]
        let variances = ActiveUnits.variances(codes: codes, dimension: 3)
        XCTAssertEqual(variances[0], 1, accuracy: 1e-6)
        XCTAssertEqual(variances[1], 0.0025, accuracy: 1e-6)
        XCTAssertEqual(variances[2], 0, accuracy: 1e-6)
        XCTAssertEqual(ActiveUnits.count(codes: codes, dimension: 3), 1)
        XCTAssertEqual(ActiveUnits.count(codes: codes, dimension: 3, threshold: 0.001), 2)
        XCTAssertEqual(ActiveUnits.count(codes: [], dimension: 2), 0)
    }
}
