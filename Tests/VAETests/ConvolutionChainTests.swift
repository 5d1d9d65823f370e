import XCTest
@testable import Support
@testable import VAE

/// `ConvolutionThreads.forward(chain:...)` and `backward(chain:...)`, which take consecutive convolutions
/// chunk by chunk in one region, against the same layers run one after the other: the conv VAE's encoder pair (1 -> 32 -> 64,
/// 28 -> 14 -> 7) and decoder pair (64 -> 32 -> 1, 7 -> 14 -> 28), on 1, 2 and 3 threads and batches
/// that leave whole chunks, a partial chunk and fewer images than threads. The outputs and gradients
/// must be the same bit for bit: the chain changes when a chunk is computed, never what is summed.
final class ConvolutionChainTests: XCTestCase {
    /// The chained backward pass against layer-by-layer passes from the same dL/dy: both layers' weight
    /// and bias gradients, the gradient between them and the first layer's dx (or none, as for conv1).
    private func checkBackward(_ first: any ChunkedConvolution, _ second: any ChunkedConvolution, x: Matrix, middle: Matrix, y: Matrix,
                               workspace: LayerWorkspace, pool: ComputePool, what: String, _ g: inout SeededGenerator) {
        let batch = x.rows
        let dyValues = (0 ..< batch * second.outputSize).map { _ in g.nextUniform() * 2 - 1 }
        let chainedWorkspace = LayerWorkspace(threads: workspace.threads, floatsPerThread: ConvolutionThreads.backwardScratch(chain: [first, second]))
        for withInputGradient in [false, true] {
            func run(chained: Bool) -> [[UInt32]] {
                let dy = Matrix(rows: batch, columns: second.outputSize, values: dyValues)
                let dMiddle = Matrix(rows: batch, columns: first.outputSize)
                let dx = withInputGradient ? Matrix(rows: batch, columns: first.inputSize) : nil
                if chained {
                    dMiddle.rows = 0
                    ConvolutionThreads.backward(chain: [first, second], input: x, outputs: { $0 == 0 ? middle : y },
                                                gradients: { $0 == 0 ? dMiddle : dy }, inputGradient: dx, workspace: chainedWorkspace, pool: pool)
                } else {
                    second.backward(input: middle, output: y, outputGradient: dy, inputGradient: dMiddle, accumulateInputGradient: false,
                                    workspace: workspace, pool: pool)
                    first.backward(input: x, output: middle, outputGradient: dMiddle, inputGradient: dx, accumulateInputGradient: false,
                                   workspace: workspace, pool: pool)
                }
                let gradients = (first.parameters + second.parameters).map(\.gradient.values) + [dMiddle.values, dx?.values ?? []]
                return gradients.map { $0.map(\.bitPattern) }
            }
            let (plain, chained) = (run(chained: false), run(chained: true))
            for (index, name) in ["first dW", "first db", "second dW", "second db", "gradient between", "dx"].enumerated() {
                XCTAssertEqual(chained[index], plain[index], "backward \(name), dx \(withInputGradient), \(what)")
            }
        }
    }

    func testChainedForwardIsLayerByLayerForward() {
        var g = SeededGenerator(seed: 71)
        let conv1 = Conv2D(name: "c1", inputChannels: 1, outputChannels: 32, inputSide: 28, kernelSize: 3, stride: 2, padding: 1,
                           activation: .relu)
        let conv2 = Conv2D(name: "c2", inputChannels: 32, outputChannels: 64, inputSide: 14, kernelSize: 3, stride: 2, padding: 1,
                           activation: .relu)
        let deconv1 = ConvTranspose2D(name: "d1", inputChannels: 64, outputChannels: 32, inputSide: 7, kernelSize: 3, stride: 2,
                                      padding: 1, outputPadding: 1, activation: .relu)
        let deconv2 = ConvTranspose2D(name: "d2", inputChannels: 32, outputChannels: 1, inputSide: 14, kernelSize: 3, stride: 2,
                                      padding: 1, outputPadding: 1, activation: .identity)
        for layer in [conv1, conv2] as [any ChunkedConvolution] + [deconv1, deconv2] { layer.initialize(using: &g) }
        for (first, second) in [(conv1, conv2), (deconv1, deconv2)] as [(any ChunkedConvolution, any ChunkedConvolution)] {
            for threads in [1, 2, 3] {
                let pool = ComputePool(threadCount: threads)
                let workspace = LayerWorkspace(threads: threads, floatsPerThread: max(first.scratchPerThread, second.scratchPerThread))
                for batch in [1, 2, 16, 37] {
                    let x = Matrix(rows: batch, columns: first.inputSize,
                                   values: (0 ..< batch * first.inputSize).map { _ in g.nextUniform() * 2 - 1 })
                    let (middle, y) = (Matrix(rows: batch, columns: first.outputSize), Matrix(rows: batch, columns: second.outputSize))
                    first.forward(x, into: middle, workspace: workspace, pool: pool)
                    second.forward(middle, into: y, workspace: workspace, pool: pool)
                    let (chainedMiddle, chainedY) = (Matrix(rows: batch, columns: first.outputSize), Matrix(rows: batch, columns: second.outputSize))
                    chainedMiddle.rows = 0   // the chain sets each output's rows
                    chainedY.rows = 0
                    ConvolutionThreads.forward(chain: [first, second], x, outputs: { $0 == 0 ? chainedMiddle : chainedY },
                                               workspace: workspace, pool: pool)
                    let what = "\(type(of: first)) pair, \(threads) threads, batch \(batch)"
                    XCTAssertEqual(chainedMiddle.rows, batch, what)
                    XCTAssertEqual(chainedY.rows, batch, what)
                    XCTAssertEqual(chainedMiddle.values.map(\.bitPattern), middle.values.map(\.bitPattern), "first layer, \(what)")
                    XCTAssertEqual(chainedY.values.map(\.bitPattern), y.values.map(\.bitPattern), "second layer, \(what)")
                    checkBackward(first, second, x: x, middle: middle, y: y, workspace: workspace, pool: pool, what: what, &g)
                }
            }
        }
    }
}
