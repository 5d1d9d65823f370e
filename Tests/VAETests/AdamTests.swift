import XCTest
@testable import VAE

final class AdamTests: XCTestCase {
    /// Two steps by hand, in Double, with PyTorch's bias correction.
    func testTwoStepsMatchTheFormula() {
        let p = Parameter(name: "w", shape: [3])
        p.value.assign([0.5, -1, 2])
        let adam = Adam(parameters: [p], learningRate: 0.1, pool: .default)
        var expected = [0.5, -1.0, 2.0], m = [0.0, 0, 0], v = [0.0, 0, 0]
        for (t, gradient) in [[0.3, -2.0, 0.0], [1.0, 0.5, -4.0]].enumerated() {
            p.gradient.assign(gradient.map(Float.init))
            adam.update()
            let step = Double(t + 1)
            for i in 0 ..< 3 {
                m[i] = 0.9 * m[i] + 0.1 * gradient[i]
                v[i] = 0.999 * v[i] + 0.001 * gradient[i] * gradient[i]
                let denominator = (v[i].squareRoot() / (1 - pow(0.999, step)).squareRoot()) + 1e-8
                expected[i] -= 0.1 / (1 - pow(0.9, step)) * m[i] / denominator
            }
        }
        for (got, want) in zip(p.value.values, expected) { XCTAssertEqual(Double(got), want, accuracy: 1e-5) }
    }

    /// The vectorised kernel's tail (n not a multiple of the vector width) is updated too.
    func testOddSizedParameterIsFullyUpdated() {
        let p = Parameter(name: "w", shape: [37])
        p.gradient.assign([Float](repeating: 1, count: 37))
        Adam(parameters: [p], learningRate: 0.01, pool: .default).update()
        for value in p.value.values { XCTAssertEqual(value, -0.01, accuracy: 1e-6) }
    }
}
