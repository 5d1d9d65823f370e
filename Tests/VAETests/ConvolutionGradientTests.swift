import XCTest
@testable import Support
@testable import VAE

/// Every weight, bias and input gradient of both convolution layers against central finite
/// differences of L = Σ y ⊙ R (R fixed and random, so dL/dy = R), on small shapes so that every entry
/// is checked: stride 2 / padding 1 (with output padding 1 for the transposed layer) as in the conv
/// VAE, and stride 1 with other paddings, each with and without ReLU.
final class ConvolutionGradientTests: XCTestCase {
    private static let batch = 2
    private static let step: Float = 1e-3

    private func assertClose(_ analytic: Float, _ numeric: Double, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        let tolerance = 2e-3 + 2e-2 * max(abs(Double(analytic)), abs(numeric))
        XCTAssertLessThanOrEqual(abs(Double(analytic) - numeric), tolerance,
                                 "\(what): analytic \(analytic) vs numeric \(numeric)", file: file, line: line)
    }

    private func randomMatrix(_ rows: Int, _ columns: Int, _ g: inout SeededGenerator) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0 ..< rows * columns).map { _ in g.nextUniform() * 2 - 1 })
    }

    /// Runs `forward` (x -> y) and `backward` (dy, dx), then compares each gradient with (L(v+h) - L(v-h)) / 2h.
    private func checkGradients(_ what: String, parameters: [Parameter], x: Matrix, y: Matrix, activation: Activation,
                                seed: UInt64, forward: () -> Void,
                                backward: (_ dy: Matrix, _ dx: Matrix?, _ accumulate: Bool) -> Void) {
        var g = SeededGenerator(seed: seed)
        forward()
        let r = randomMatrix(y.rows, y.columns, &g)
        let activeAtStart = y.values.map { $0 > 0 }
        /// L, and whether every kinked activation (ReLU, LeakyReLU) is on the side it had at the start: a difference across the kink
        /// measures no derivative, so those entries are skipped (and must stay rare).
        func loss() -> (value: Double, sameKinks: Bool) {
            forward()
            let value = zip(y.values, r.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            return (value, activation == .identity || y.values.map { $0 > 0 } == activeAtStart)
        }
        var checked = 0, skipped = 0
        func compare(_ analytic: Float, _ plus: (value: Double, sameKinks: Bool), _ minus: (value: Double, sameKinks: Bool),
                     _ name: String) {
            guard plus.sameKinks && minus.sameKinks else { skipped += 1; return }
            checked += 1
            assertClose(analytic, (plus.value - minus.value) / (2 * Double(Self.step)), "\(what): \(name)")
        }
        let dy = Matrix(rows: y.rows, columns: y.columns, values: r.values)
        let dx = Matrix(rows: x.rows, columns: x.columns)
        backward(dy, dx, false)

        // dL/d(pre-activation) lands in the output gradient itself: dy f'(pre), f' read off the output's sign.
        let negativeSlope: Float = activation == .relu ? 0 : activation == .leakyReLU ? Activation.leakySlope : 1
        for i in 0 ..< y.count {
            XCTAssertEqual(dy.storage[i], y.storage[i] > 0 ? r.storage[i] : r.storage[i] * negativeSlope, "\(what): dy[\(i)]")
        }
        let analytic = parameters.map(\.gradient.values)
        let h = Self.step
        for (p, gradient) in zip(parameters, analytic) {
            for i in 0 ..< p.value.count {
                let saved = p.value.storage[i]
                p.value.storage[i] = saved + h; let plus = loss()
                p.value.storage[i] = saved - h; let minus = loss()
                p.value.storage[i] = saved
                compare(gradient[i], plus, minus, "\(p.name)[\(i)]")
            }
        }
        for i in 0 ..< x.count {
            let saved = x.storage[i]
            x.storage[i] = saved + h; let plus = loss()
            x.storage[i] = saved - h; let minus = loss()
            x.storage[i] = saved
            compare(dx.storage[i], plus, minus, "dx[\(i)]")
        }
        XCTAssertLessThanOrEqual(skipped * 20, checked, "\(what): too many differences across a ReLU kink")

        // Without dx (the first layer) the parameter gradients are the same; with accumulation dx is added.
        _ = loss()
        let fresh = Matrix(rows: y.rows, columns: y.columns, values: r.values)
        backward(fresh, nil, false)
        XCTAssertEqual(parameters.map(\.gradient.values), analytic, "\(what): gradients without dx")
        _ = loss()
        let accumulated = randomMatrix(x.rows, x.columns, &g)
        let before = accumulated.values
        backward(Matrix(rows: y.rows, columns: y.columns, values: r.values), accumulated, true)
        for i in 0 ..< x.count {
            XCTAssertEqual(accumulated.storage[i], before[i] + dx.storage[i], accuracy: 1e-5, "\(what): accumulated dx[\(i)]")
        }
    }

    /// The training passes split the batch over threads and chunks of 16 images and sum the per-thread
    /// gradients: one thread or three, on 37 images (chunks of 16 and fewer), must agree. The two layers
    /// share one workspace sized for both.
    func testResultsDoNotDependOnThreadsOrChunks() {
        var g = SeededGenerator(seed: 500)
        let batch = 37
        let conv = Conv2D(name: "c", inputChannels: 3, outputChannels: 20, inputSide: 9, kernelSize: 3,
                          stride: 2, padding: 1, activation: .relu)
        let transposed = ConvTranspose2D(name: "t", inputChannels: 20, outputChannels: 3, inputSide: 5, kernelSize: 3,
                                         stride: 2, padding: 1, outputPadding: 1, activation: .relu)
        conv.initialize(using: &g)
        transposed.initialize(using: &g)
        let x = randomMatrix(batch, conv.inputSize, &g)
        let r1 = randomMatrix(batch, conv.outputSize, &g), r2 = randomMatrix(batch, transposed.outputSize, &g)
        func run(threads: Int) -> [[Float]] {
            let workspace = LayerWorkspace(threads: threads,
                                           floatsPerThread: max(conv.scratchPerThread, transposed.scratchPerThread))
            let h = Matrix(rows: batch, columns: conv.outputSize), y = Matrix(rows: batch, columns: transposed.outputSize)
            conv.forward(x, into: h, workspace: workspace, pool: .default)
            transposed.forward(h, into: y, workspace: workspace, pool: .default)
            let dy = Matrix(rows: batch, columns: y.columns, values: r2.values)
            let dh = Matrix(rows: batch, columns: h.columns, values: r1.values)   // accumulated onto
            let dx = Matrix(rows: batch, columns: x.columns)
            transposed.backward(input: h, output: y, outputGradient: dy, inputGradient: dh,
                                accumulateInputGradient: true, workspace: workspace, pool: .default)
            conv.backward(input: x, output: h, outputGradient: dh, inputGradient: dx, workspace: workspace, pool: .default)
            return [h.values, y.values, dh.values, dx.values] + (conv.parameters + transposed.parameters).map(\.gradient.values)
        }
        let one = run(threads: 1), three = run(threads: 3)
        for (index, (a, b)) in zip(one, three).enumerated() {
            let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1e-5, "result \(index) differs between 1 and 3 threads")
        }
    }

    func testConv2DGradients() {
        // (inputChannels, outputChannels, inputSide, kernelSize, stride, padding)
        // The last has more outputs (306) than the others, so more of them sit near a ReLU kink.
        let cases = [(2, 3, 6, 3, 2, 1), (2, 2, 5, 3, 1, 1), (3, 2, 4, 2, 1, 0), (2, 17, 6, 3, 2, 1)]
        for (index, (c, f, s, k, stride, padding)) in cases.enumerated() {
            for activation in Activation.allCases {
                var g = SeededGenerator(seed: UInt64(300 + index))
                let layer = Conv2D(name: "c", inputChannels: c, outputChannels: f, inputSide: s, kernelSize: k,
                                   stride: stride, padding: padding, activation: activation)
                layer.initialize(using: &g)
                let x = randomMatrix(Self.batch, layer.inputSize, &g)
                let y = Matrix(rows: Self.batch, columns: layer.outputSize)
                let workspace = layer.makeWorkspace(threads: 2)
                checkGradients("conv2d \(c)->\(f) side \(s) k\(k) s\(stride) p\(padding) \(activation)",
                               parameters: layer.parameters, x: x, y: y, activation: activation, seed: UInt64(index),
                               forward: { layer.forward(x, into: y, workspace: workspace, pool: .default) },
                               backward: { dy, dx, accumulate in
                                   layer.backward(input: x, output: y, outputGradient: dy, inputGradient: dx,
                                                  accumulateInputGradient: accumulate, workspace: workspace, pool: .default)
                               })
            }
        }
    }

    func testConvTranspose2DGradients() {
        // (inputChannels, outputChannels, inputSide, kernelSize, stride, padding, outputPadding)
        let cases = [(3, 2, 3, 3, 2, 1, 1), (2, 2, 4, 3, 1, 1, 0), (2, 3, 3, 2, 1, 0, 0), (17, 2, 3, 3, 2, 1, 1)]
        for (index, (c, f, s, k, stride, padding, outputPadding)) in cases.enumerated() {
            for activation in Activation.allCases {
                var g = SeededGenerator(seed: UInt64(400 + index))
                let layer = ConvTranspose2D(name: "t", inputChannels: c, outputChannels: f, inputSide: s, kernelSize: k,
                                            stride: stride, padding: padding, outputPadding: outputPadding,
                                            activation: activation)
                layer.initialize(using: &g)
                let x = randomMatrix(Self.batch, layer.inputSize, &g)
                let y = Matrix(rows: Self.batch, columns: layer.outputSize)
                let workspace = layer.makeWorkspace(threads: 2)
                checkGradients("conv-transpose2d \(c)->\(f) side \(s) k\(k) s\(stride) p\(padding) op\(outputPadding) \(activation)",
                               parameters: layer.parameters, x: x, y: y, activation: activation, seed: UInt64(index),
                               forward: { layer.forward(x, into: y, workspace: workspace, pool: .default) },
                               backward: { dy, dx, accumulate in
                                   layer.backward(input: x, output: y, outputGradient: dy, inputGradient: dx,
                                                  accumulateInputGradient: accumulate, workspace: workspace, pool: .default)
                               })
            }
        }
    }
}
