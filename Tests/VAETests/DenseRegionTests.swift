import XCTest
@testable import Support
@testable import VAE

/// The dense passes that share regions: a dense layer's backward in one region (dW, db and dx together)
/// when its gradient needs no mask first, the mask of the layer below applied to dx as each thread
/// writes its rows (`inputActivation`), that layer then taking its gradient as already masked
/// (`outputGradientIsPreActivation`), and both Gaussian heads in one region. Checked against loops in
/// Double on products large enough to be split, with batches that do not divide by the thread count.
final class DenseRegionTests: XCTestCase {
    /// Sizes over `Dense.parallelWork` multiply-adds for every product, so every pass is split.
    static let (inputSize, middleSize, outputSize) = (90, 64, 48)

    /// Two dense layers, `lower` (activation a) then `upper` (activation b): forward, then backward with
    /// the lower layer's mask fused into the upper layer's dx region, against the chain rule in Double.
    func testTwoDenseLayersWithTheMaskFusedAgainstDoubleLoops() {
        let pools = [1, 2, 3].map { ComputePool(threadCount: $0) }
        for batch in [1, 29, 70] {
            for (a, b) in [(Activation.relu, Activation.identity), (.leakyReLU, .relu), (.relu, .leakyReLU), (.identity, .relu)] {
                checkTwoLayers(lower: a, upper: b, batch: batch, pools: pools, "batch \(batch), \(a) then \(b)")
            }
        }
    }

    /// The heads read one hidden vector made by a ReLU layer: dW, db of each head and the masked
    /// dhidden, on one to three threads, against Double loops.
    func testGaussianHeadsInOneRegionAgainstDoubleLoops() {
        for threads in [1, 2, 3] {
            let pool = ComputePool(threadCount: threads)
            for (batch, latent) in [(52, 1), (64, 3), (9, 8)] {
                var g = SeededGenerator(seed: UInt64(7 + batch))
                let heads = GaussianHeads(hiddenSize: Self.middleSize * 20, latentDim: latent)
                heads.mean.initialize(using: &g)
                heads.logVariance.initialize(using: &g)
                let hidden = GradientCheck.randomMatrix(batch, heads.mean.inputSize, &g)
                let mean = Matrix(rows: batch, columns: latent), logVariance = Matrix(rows: batch, columns: latent)
                heads.forward(hidden, mean: mean, logVariance: logVariance, pool: pool)
                let dMean = GradientCheck.randomMatrix(batch, latent, &g), dLogVariance = GradientCheck.randomMatrix(batch, latent, &g)
                let dHidden = Matrix(rows: batch, columns: hidden.columns)
                heads.backward(hidden: hidden, mean: mean, logVariance: logVariance, meanGradient: dMean,
                               logVarianceGradient: dLogVariance, hiddenGradient: dHidden, hiddenActivation: (.relu, hidden), pool: pool)
                let label = "\(threads) threads, batch \(batch), L \(latent)"
                for (head, output, dy) in [(heads.mean, mean, dMean), (heads.logVariance, logVariance, dLogVariance)] {
                    assertClose(output, Reference.forward(head, hidden), label + " \(head.weight.name) forward")
                    assertClose(head.weight.gradient, Reference.weightGradient(dy, hidden), label + " \(head.weight.name)")
                    assertClose(head.bias.gradient, Reference.biasGradient(dy), label + " \(head.bias.name)")
                }
                let sum = Reference.add(Reference.inputGradient(dMean, heads.mean), Reference.inputGradient(dLogVariance, heads.logVariance))
                assertClose(dHidden, Reference.masked(sum, by: hidden, .relu), label + " dhidden")
            }
        }
    }

    /// A whole MLP step (the loss taken in the output layer's region, every dense gradient masked in the
    /// region above it, the weight's side or the rows split by shape) on two and three threads gives
    /// the one-thread step's loss and gradients, to float summation order, with batches under and over
    /// the layers' widths.
    func testAnMLPStepOnSeveralThreadsGivesTheOneThreadStep() {
        let configuration = ModelConfiguration.mlp(hiddenSize: 96, latentDim: 3)
        func step(threads: Int, batch: Int) -> (loss: Double, gradients: [[Float]]) {
            let model = VAEModel(configuration: configuration, seed: 5)
            let step = TrainingStep(model: model, batchCapacity: batch, pool: ComputePool(threadCount: threads))
            var g = SeededGenerator(seed: 11)
            step.input.rows = batch
            step.input.assign((0 ..< batch * configuration.inputSize).map { _ in g.nextUniform() })
            step.noise.rows = batch
            step.noise.assign((0 ..< batch * configuration.latentDim).map { _ in g.nextGaussian() })
            let parts = step.forward(sampleNoise: false, using: &g, computeGradients: true)
            step.backward()
            return (parts.total, model.parameters.map(\.gradient.values))
        }
        for batch in [7, 130] {
            let one = step(threads: 1, batch: batch)
            for threads in [2, 3] {
                let many = step(threads: threads, batch: batch)
                XCTAssertEqual(many.loss, one.loss, accuracy: 1e-5 * abs(one.loss), "\(threads) threads, batch \(batch)")
                for (a, b) in zip(many.gradients, one.gradients) {
                    let scale = max(1e-3, b.map(abs).max() ?? 0)
                    let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
                    XCTAssertLessThan(worst, 1e-4 * scale, "\(threads) threads, batch \(batch)")
                }
            }
        }
    }

    /// The references are computed once, from the weights and the forward outputs, which every pool's
    /// pass must then match.
    /// The regions (forks and joins) of one training step of the benchmarked networks on two threads,
    /// a batch of 128. The MLP (784-512-2): forward, the encoder's layer, both heads, the decoder's two
    /// layers (the loss in the last one's region); backward, one region a dense layer and one for both
    /// heads; then Adam's (before the passes shared regions: 6 + 9 + 1), which the trainer's step takes in the
    /// encoder's first layer's region (4 + 4). The conv network: forward, the
    /// convolutions, the encoder's dense layer, the expanding layer, the transposed convolutions and the
    /// loss (the heads and the decoder's first layer are too small to split); backward the transposed
    /// convolutions (which mask the expanding layer's gradient), the expanding layer, the encoder's
    /// dense layer and the convolutions (before: 5 + 6 + 1).
    func testBenchmarkStepsRegionCounts() {
        for (configuration, forward, backward) in [(ModelConfiguration.mlp(hiddenSize: 512, latentDim: 2), 4, 4),
                                                   (.conv(latentDim: 2), 5, 4)] {
            let pool = ComputePool(threadCount: 2)
            let model = VAEModel(configuration: configuration, seed: 1)
            let step = TrainingStep(model: model, batchCapacity: 128, pool: pool)
            var g = SeededGenerator(seed: 2)
            step.input.rows = 128
            step.input.assign((0 ..< 128 * 784).map { _ in g.nextUniform() })
            let adam = Adam(parameters: model.parameters, pool: pool)
            let start = pool.regionsRun
            step.forward(using: &g, computeGradients: true)
            XCTAssertEqual(pool.regionsRun - start, forward, "\(configuration.architecture) forward")
            step.backward()
            XCTAssertEqual(pool.regionsRun - start, forward + backward, "\(configuration.architecture) forward and backward")
            adam.update()
            XCTAssertEqual(pool.regionsRun - start, forward + backward + 1, "\(configuration.architecture) step")
            // The trainer's step: the update in the encoder's first dense layer's region (not after a convolution).
            let fused = pool.regionsRun
            step.forward(using: &g, computeGradients: true)
            step.backward(thenUpdate: adam)
            XCTAssertEqual(pool.regionsRun - fused, forward + backward + (configuration.architecture.name == "conv" ? 1 : 0),
                           "\(configuration.architecture) step with the update in the backward pass")
        }
    }

    private func checkTwoLayers(lower a: Activation, upper b: Activation, batch: Int, pools: [ComputePool], _ label: String) {
        var g = SeededGenerator(seed: UInt64(batch * 31 + Int(a.code) * 3 + Int(b.code)))
        let lower = Dense(name: "lower", inputSize: Self.inputSize, outputSize: Self.middleSize, activation: a)
        let upper = Dense(name: "upper", inputSize: Self.middleSize, outputSize: Self.outputSize, activation: b)
        lower.initialize(using: &g)
        upper.initialize(using: &g)
        let x = GradientCheck.randomMatrix(batch, Self.inputSize, &g)
        let dyValues = GradientCheck.randomMatrix(batch, Self.outputSize, &g).values
        let h = Matrix(rows: batch, columns: Self.middleSize), y = Matrix(rows: batch, columns: Self.outputSize)
        var expected: (h: [Double], y: [Double], upperW: [Double], upperB: [Double], dh: [Double], lowerW: [Double],
                       lowerB: [Double], dx: [Double])?
        for pool in pools {
            let label = label + ", \(pool.threadCount) threads"
            lower.forward(x, into: h, pool: pool)
            upper.forward(h, into: y, pool: pool)
            if expected == nil {
                let dpreUpper = Reference.masked(dyValues.map(Double.init), by: y, b)
                let dpreLower = Reference.masked(Reference.inputGradient(dpreUpper, batch: batch, upper), by: h, a)
                expected = (Reference.forward(lower, x), Reference.forward(upper, h),
                            Reference.weightGradient(dpreUpper, batch: batch, h), Reference.biasGradient(dpreUpper, batch: batch),
                            dpreLower, Reference.weightGradient(dpreLower, batch: batch, x), Reference.biasGradient(dpreLower, batch: batch),
                            Reference.inputGradient(dpreLower, batch: batch, lower))
            }
            guard let expected else { return }
            let dy = Matrix(rows: batch, columns: Self.outputSize, values: dyValues)
            let dh = Matrix(rows: batch, columns: Self.middleSize), dx = Matrix(rows: batch, columns: Self.inputSize)
            upper.backward(input: h, output: y, outputGradient: dy, inputGradient: dh, inputActivation: (a, h), pool: pool)
            lower.backward(input: x, output: h, outputGradient: dh, inputGradient: dx, outputGradientIsPreActivation: true, pool: pool)
            assertClose(h, expected.h, label + " lower forward")
            assertClose(y, expected.y, label + " upper forward")
            assertClose(upper.weight.gradient, expected.upperW, label + " upper dW")
            assertClose(upper.bias.gradient, expected.upperB, label + " upper db")
            assertClose(dh, expected.dh, label + " dh (masked)")
            assertClose(lower.weight.gradient, expected.lowerW, label + " lower dW")
            assertClose(lower.bias.gradient, expected.lowerB, label + " lower db")
            assertClose(dx, expected.dx, label + " dx")
        }
    }

    private func assertClose(_ actual: Matrix, _ expected: [Double], _ label: String) {
        XCTAssertEqual(actual.count, expected.count, label)
        let scale = max(1, expected.map(abs).max() ?? 0)
        let worst = zip(actual.values, expected).map { abs(Double($0) - $1) }.max() ?? 0
        XCTAssertLessThan(worst, 1e-5 * scale, label)
    }

    /// The passes in Double, row-major, from the layers' float weights.
    private enum Reference {
        static func forward(_ layer: Dense, _ x: Matrix) -> [Double] {
            var y = [Double](repeating: 0, count: x.rows * layer.outputSize)
            for r in 0 ..< x.rows {
                for o in 0 ..< layer.outputSize {
                    var s = Double(layer.bias.value.storage[o])
                    for i in 0 ..< layer.inputSize { s += Double(x[r, i]) * Double(layer.weight.value[o, i]) }
                    y[r * layer.outputSize + o] = Double(layer.activation(Float(s)))
                }
            }
            return y
        }

        /// dpre = dy ⊙ f'(pre), read off the output's sign.
        static func masked(_ dy: [Double], by output: Matrix, _ activation: Activation) -> [Double] {
            zip(dy, output.values).map { d, y in
                switch activation {
                case .identity: return d
                case .relu: return y > 0 ? d : 0
                case .leakyReLU: return y > 0 ? d : d * Double(Activation.leakySlope)
                }
            }
        }

        static func weightGradient(_ dpre: Matrix, _ x: Matrix) -> [Double] {
            weightGradient(dpre.values.map(Double.init), batch: dpre.rows, x)
        }

        static func weightGradient(_ dpre: [Double], batch: Int, _ x: Matrix) -> [Double] {
            let outputs = dpre.count / batch
            var dW = [Double](repeating: 0, count: outputs * x.columns)
            for o in 0 ..< outputs {
                for i in 0 ..< x.columns {
                    dW[o * x.columns + i] = (0 ..< batch).reduce(0) { $0 + dpre[$1 * outputs + o] * Double(x[$1, i]) }
                }
            }
            return dW
        }

        static func biasGradient(_ dpre: Matrix) -> [Double] { biasGradient(dpre.values.map(Double.init), batch: dpre.rows) }

        static func biasGradient(_ dpre: [Double], batch: Int) -> [Double] {
            let outputs = dpre.count / batch
            return (0 ..< outputs).map { o in (0 ..< batch).reduce(0) { $0 + dpre[$1 * outputs + o] } }
        }

        static func inputGradient(_ dpre: Matrix, _ layer: Dense) -> [Double] {
            inputGradient(dpre.values.map(Double.init), batch: dpre.rows, layer)
        }

        static func inputGradient(_ dpre: [Double], batch: Int, _ layer: Dense) -> [Double] {
            var dx = [Double](repeating: 0, count: batch * layer.inputSize)
            for r in 0 ..< batch {
                for i in 0 ..< layer.inputSize {
                    dx[r * layer.inputSize + i] = (0 ..< layer.outputSize).reduce(0) {
                        $0 + dpre[r * layer.outputSize + $1] * Double(layer.weight.value[$1, i])
                    }
                }
            }
            return dx
        }

        static func add(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 + $1 } }
    }
}
