import XCTest
@testable import Support
@testable import VAE

final class PrincipalComponentsTests: XCTestCase {
    /// Points spread mostly along a known direction u, less along v, little along the rest.
    func testFindsKnownDirectionsAndTheirVariance() {
        let d = 6
        let u: [Float] = [0.6, 0.8, 0, 0, 0, 0], v: [Float] = [0, 0, 0, 0, -0.8, 0.6]
        var generator = SeededGenerator(seed: 5)
        var codes: [Float] = []
        let centre: [Float] = [1, -2, 0.5, 0, 3, 0]
        for _ in 0 ..< 4_000 {
            let a = 3 * generator.nextGaussian(), b = 1 * generator.nextGaussian()
            for j in 0 ..< d { codes.append(centre[j] + a * u[j] + b * v[j] + 0.05 * generator.nextGaussian()) }
        }
        let pca = PrincipalComponents(codes: codes, dimension: d)
        for j in 0 ..< d { XCTAssertEqual(pca.mean[j], centre[j], accuracy: 0.15) }
        let dot = { (a: [Float], b: [Float]) in zip(a, b).map(*).reduce(0, +) }
        XCTAssertEqual(abs(dot(pca.components[0], u)), 1, accuracy: 1e-3)
        XCTAssertEqual(abs(dot(pca.components[1], v)), 1, accuracy: 1e-3)
        XCTAssertEqual(pca.variances[0], 9, accuracy: 0.6)
        XCTAssertEqual(pca.variances[1], 1, accuracy: 0.1)
        XCTAssertEqual(pca.explainedVarianceRatios[0], 0.9, accuracy: 0.02)
        XCTAssertEqual(pca.explainedVarianceRatios.reduce(0, +), 1, accuracy: 1e-4)
        // Unit, orthogonal, and the sign convention: the largest entry is positive.
        for (i, c) in pca.components.enumerated() {
            XCTAssertEqual(dot(c, c), 1, accuracy: 1e-4)
            XCTAssertGreaterThan(c.max { abs($0) < abs($1) }!, 0)
            for other in pca.components[(i + 1)...] { XCTAssertEqual(dot(c, other), 0, accuracy: 1e-4) }
        }
        XCTAssertEqual(pca.variances, pca.variances.sorted(by: >))
    }

    func testEigenDecompositionOfAKnownMatrix() {
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1 with vectors (1, 1) and (1, -1) / sqrt 2.
        let (values, vectors) = PrincipalComponents.eigen(symmetric: [2, 1, 1, 2], dimension: 2)
        XCTAssertEqual(values.sorted(), [1, 3].map(Double.init), accuracy: 1e-12)
        let large = values[0] > values[1] ? 0 : 1
        XCTAssertEqual(abs(vectors[0 * 2 + large]), 0.5.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(vectors[0 * 2 + large], vectors[1 * 2 + large], accuracy: 1e-12)
    }

    func testDegenerateInputs() {
        let constant = PrincipalComponents(codes: [Float](repeating: 2, count: 30), dimension: 3)
        XCTAssertEqual(constant.mean, [2, 2, 2])
        XCTAssertEqual(constant.explainedVarianceRatios, [0, 0, 0])
        XCTAssertEqual(constant.components.count, 3)
        let oneD = PrincipalComponents(codes: [1, 2, 3, 4], dimension: 1)
        XCTAssertEqual(oneD.components, [[1]])
        XCTAssertEqual(oneD.variances[0], 1.25, accuracy: 1e-6)
        let empty = PrincipalComponents(codes: [], dimension: 2)
        XCTAssertEqual(empty.mean, [0, 0])
        XCTAssertEqual(empty.components.count, 2)
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
