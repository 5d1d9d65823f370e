import XCTest
@testable import VAE

/// Every analytic gradient against central finite differences, on small shapes so that all entries
/// can be checked. Float32 forward passes limit the agreement to about 1e-3 relative.
final class GradientCheckTests: XCTestCase {
    private func assertClose(_ analytic: Float, _ numeric: Float, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        let tolerance = 2e-3 + 2e-2 * max(abs(analytic), abs(numeric))
        XCTAssertLessThanOrEqual(abs(analytic - numeric), tolerance,
                                 "\(what): analytic \(analytic) vs numeric \(numeric)", file: file, line: line)
    }

    private func randomMatrix(_ rows: Int, _ columns: Int, _ g: inout SeededGenerator, scale: Float = 1) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0 ..< rows * columns).map { _ in (g.nextUniform() * 2 - 1) * scale })
    }

    /// L = Σ y ⊙ R for a fixed random R, so dL/dy = R.
    func testDenseLayerGradients() {
        for activation in [Activation.identity, .relu] {
            var g = SeededGenerator(seed: 7)
            let layer = Dense(name: "t", inputSize: 5, outputSize: 4, activation: activation)
            layer.initialize(using: &g)
            let x = randomMatrix(3, 5, &g)
            let r = randomMatrix(3, 4, &g)
            let y = Matrix(rows: 3, columns: 4)
            func loss() -> Float {
                layer.forward(x, into: y)
                return zip(y.values, r.values).reduce(0) { $0 + $1.0 * $1.1 }
            }
            _ = loss()
            let dy = Matrix(rows: 3, columns: 4, values: r.values)
            let dx = Matrix(rows: 3, columns: 5)
            layer.backward(input: x, output: y, outputGradient: dy, inputGradient: dx)
            let h: Float = 1e-3
            for p in layer.parameters {
                for i in 0 ..< p.value.count {
                    let saved = p.value.storage[i]
                    p.value.storage[i] = saved + h; let plus = loss()
                    p.value.storage[i] = saved - h; let minus = loss()
                    p.value.storage[i] = saved
                    assertClose(p.gradient.storage[i], (plus - minus) / (2 * h), "\(activation) \(p.name)[\(i)]")
                }
            }
            for i in 0 ..< x.count {
                let saved = x.storage[i]
                x.storage[i] = saved + h; let plus = loss()
                x.storage[i] = saved - h; let minus = loss()
                x.storage[i] = saved
                assertClose(dx.storage[i], (plus - minus) / (2 * h), "\(activation) dx[\(i)]")
            }
        }
    }

    /// The whole VAE: reconstruction + KL with the reparameterisation, noise held fixed.
    func testVAELossGradientsForEveryParameter() {
        let architecture = VAEArchitecture(inputSize: 12, hiddenSize: 8, latentDim: 2)
        let model = VAEModel(architecture: architecture, seed: 3)
        let step = TrainingStep(model: model, batchCapacity: 4)
        var g = SeededGenerator(seed: 11)
        step.input.assign((0 ..< 4 * 12).map { _ in g.nextUniform() })
        step.noise.rows = 4
        step.noise.assign((0 ..< 8).map { _ in g.nextGaussian() })
        func loss() -> Float {
            Float(step.forward(sampleNoise: false, using: &g).total / 4)
        }
        _ = step.forward(sampleNoise: false, using: &g, computeGradients: true)
        step.backward()
        let h: Float = 2e-3
        var checked = 0
        for p in model.parameters {
            let analytic = p.gradient.values
            for i in 0 ..< p.value.count {
                let saved = p.value.storage[i]
                p.value.storage[i] = saved + h; let plus = loss()
                p.value.storage[i] = saved - h; let minus = loss()
                p.value.storage[i] = saved
                assertClose(analytic[i], (plus - minus) / (2 * h), "\(p.name)[\(i)]")
                checked += 1
            }
        }
        XCTAssertEqual(checked, model.parameterCount)
    }

    /// Saturated logits must give finite losses and gradients (no log(0), no exp overflow).
    func testReconstructionLossIsFiniteForSaturatedLogits() {
        let logits = Matrix(rows: 1, columns: 4, values: [-200, 200, -1e30, 1e30])
        let targets = Matrix(rows: 1, columns: 4, values: [1, 0, 1, 0])
        let gradient = Matrix(rows: 1, columns: 4)
        let loss = VAELoss.reconstruction(logits: logits, targets: targets, gradient: gradient, scale: 1)
        XCTAssertTrue(loss.isFinite)
        XCTAssertEqual(loss, 200 + 200 + 1e30 + 1e30, accuracy: 1e25)
        XCTAssertEqual(gradient.values, [-1, 1, -1, 1])
    }
}
