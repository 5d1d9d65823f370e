import XCTest
@testable import Support
@testable import VAE

/// The dense layer's backward against central finite differences: weights, bias and input.
final class DenseGradientTests: XCTestCase {
    /// L = Σ y ⊙ R for a fixed random R, so dL/dy = R.
    func testDenseLayerGradients() {
        for activation in Activation.allCases {
            var g = SeededGenerator(seed: 7)
            let layer = Dense(name: "t", inputSize: 5, outputSize: 4, activation: activation)
            layer.initialize(using: &g)
            let x = GradientCheck.randomMatrix(3, 5, &g)
            let r = GradientCheck.randomMatrix(3, 4, &g)
            let y = Matrix(rows: 3, columns: 4)
            func loss() -> Float {
                layer.forward(x, into: y, pool: .default)
                return zip(y.values, r.values).reduce(0) { $0 + $1.0 * $1.1 }
            }
            _ = loss()
            let dy = Matrix(rows: 3, columns: 4, values: r.values)
            let dx = Matrix(rows: 3, columns: 5)
            layer.backward(input: x, output: y, outputGradient: dy, inputGradient: dx, pool: .default)
            for p in layer.parameters {
                GradientCheck.check(p.value, analytic: p.gradient.values, step: 1e-3, "\(activation) \(p.name)", loss: loss)
            }
            GradientCheck.check(x, analytic: dx.values, step: 1e-3, "\(activation) dx", loss: loss)
        }
    }
}
