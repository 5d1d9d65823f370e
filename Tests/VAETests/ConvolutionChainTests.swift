import XCTest
@testable import Support
@testable import VAE

/// `ConvolutionThreads.forward(chain:...)`, which takes consecutive convolutions chunk by chunk in one
/// region, against the same layers run one after the other: the conv VAE's encoder pair (1 -> 32 -> 64,
/// 28 -> 14 -> 7) and decoder pair (64 -> 32 -> 1, 7 -> 14 -> 28), on 1, 2 and 3 threads and batches
/// that leave whole chunks, a partial chunk and fewer images than threads. The outputs must be the
/// same bit for bit: the chain changes when a chunk is computed, never what is summed.
final class ConvolutionChainTests: XCTestCase {
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
                }
            }
        }
    }
}
