import Support
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

    /// `TrainingStep.backward(thenUpdate:)`, which updates the parameters in the encoder's first dense
    /// layer's backward region, gives the parameters of `backward()` then `update()` bit for bit, over
    /// two steps: on one, two and three threads, with a first layer split between threads and one too
    /// small to split (whose update then runs on the calling thread), and for the conv network, whose
    /// first layer is a convolution (the separate update). On several threads the MLP's steps save the
    /// update's own region.
    func testTheUpdateInTheBackwardPassMatchesTheSeparateUpdate() {
        let cases: [(ModelConfiguration, batch: Int)] = [(.mlp(hiddenSize: 96, latentDim: 3), 9), (.mlp(hiddenSize: 4, latentDim: 2), 3),
                                                         (.mlp(hiddenSize: 200, latentDim: 2), 130), (.conv(latentDim: 2), 5)]
        for (configuration, batch) in cases {
            for threads in [1, 2, 3] {
                func train(fused: Bool) -> (values: [[Float]], regions: Int) {
                    let pool = ComputePool(threadCount: threads)
                    let model = VAEModel(configuration: configuration, seed: 3)
                    let step = TrainingStep(model: model, batchCapacity: batch, pool: pool)
                    let adam = Adam(parameters: model.parameters, learningRate: 0.01, pool: pool)
                    var g = SeededGenerator(seed: 4)
                    let start = pool.regionsRun
                    for _ in 0 ..< 2 {
                        step.input.rows = batch
                        step.input.assign((0 ..< batch * configuration.inputSize).map { _ in g.nextUniform() })
                        step.forward(using: &g, computeGradients: true)
                        if fused { step.backward(thenUpdate: adam) } else { step.backward(); adam.update() }
                    }
                    return (model.parameters.map(\.value.values), pool.regionsRun - start)
                }
                let separate = train(fused: false), fused = train(fused: true)
                let label = "\(configuration.architecture) batch \(batch), \(threads) threads"
                XCTAssertEqual(fused.values.map { $0.map(\.bitPattern) }, separate.values.map { $0.map(\.bitPattern) }, label)
                let saved = threads > 1 && configuration.architecture.name == "mlp" ? 2 : 0
                XCTAssertEqual(fused.regions, separate.regions - saved, label)
            }
        }
    }
}
