import Synchronization
import XCTest
@testable import Support
@testable import VAE

/// How `ConvolutionThreads` hands a batch's chunks to threads: every chunk exactly once, whatever the
/// number of threads and the batch, and backward gradients that do not depend on which thread took
/// which chunk, nor on how many threads there were.
final class ConvolutionThreadsTests: XCTestCase {
    func testEveryChunkIsClaimedOnceWithItsImages() {
        let chunk = ConvolutionThreads.imagesPerChunk
        for threads in [1, 2, 3, 5] {
            let pool = ComputePool(threadCount: threads)
            for batch in [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk, 5 * chunk + 7] {
                let seen = Mutex<[Int: (first: Int, count: Int)]>([:])
                let duplicates = Atomic<Int>(0)
                let slots = ConvolutionThreads.forEachClaimedChunk(batch: batch, threads: threads, pool: pool) { slot, index, first, count in
                    precondition(slot < threads)
                    seen.withLock { if $0.updateValue((first, count), forKey: index) != nil { duplicates.add(1, ordering: .relaxed) } }
                }
                let what = "\(threads) threads, batch \(batch)"
                let chunks = ConvolutionThreads.chunkCount(batch: batch)
                XCTAssertEqual(chunks, (batch + chunk - 1) / chunk, what)
                XCTAssertEqual(slots, max(1, min(threads, chunks)), what)
                XCTAssertEqual(duplicates.load(ordering: .relaxed), 0, what)
                let claimed = seen.withLock { $0 }
                XCTAssertEqual(claimed.keys.sorted(), Array(0 ..< chunks), what)
                for (index, part) in claimed {
                    XCTAssertEqual(part.first, index * chunk, what)
                    XCTAssertEqual(part.count, min(chunk, batch - index * chunk), what)
                }
            }
        }
    }

    /// The decoder's pair (64 -> 32 -> 1, 7 -> 14 -> 28) backward on 1, 2 and 3 threads, each twice:
    /// the weight and bias gradients and dx are the same bit for bit, since each chunk's sums are made
    /// alone and added in chunk order, and a batch with a partial chunk.
    func testBackwardGradientsAreTheSameOnAnyThreadsAndRun() {
        var g = SeededGenerator(seed: 29)
        let first = ConvTranspose2D(name: "d1", inputChannels: 64, outputChannels: 32, inputSide: 7, kernelSize: 3, stride: 2,
                                    padding: 1, outputPadding: 1, activation: .relu)
        let second = ConvTranspose2D(name: "d2", inputChannels: 32, outputChannels: 1, inputSide: 14, kernelSize: 3, stride: 2,
                                     padding: 1, outputPadding: 1, activation: .identity)
        first.initialize(using: &g)
        second.initialize(using: &g)
        let chain: [any ChunkedConvolution] = [first, second]
        let batch = 3 * ConvolutionThreads.imagesPerChunk + 5
        let x = Matrix(rows: batch, columns: first.inputSize, values: (0 ..< batch * first.inputSize).map { _ in g.nextUniform() * 2 - 1 })
        let dyValues = (0 ..< batch * second.outputSize).map { _ in g.nextUniform() * 2 - 1 }
        func gradients(threads: Int) -> [[UInt32]] {
            let pool = ComputePool(threadCount: threads)
            let workspace = LayerWorkspace(threads: threads, floatsPerThread: ConvolutionThreads.backwardScratch(chain: chain))
            let (middle, y) = (Matrix(rows: batch, columns: first.outputSize), Matrix(rows: batch, columns: second.outputSize))
            ConvolutionThreads.forward(chain: chain, x, outputs: { $0 == 0 ? middle : y }, workspace: workspace, pool: pool)
            let (dMiddle, dy) = (Matrix(rows: batch, columns: first.outputSize), Matrix(rows: batch, columns: second.outputSize, values: dyValues))
            let dx = Matrix(rows: batch, columns: first.inputSize)
            ConvolutionThreads.backward(chain: chain, input: x, outputs: { $0 == 0 ? middle : y }, gradients: { $0 == 0 ? dMiddle : dy },
                                        inputGradient: dx, workspace: workspace, pool: pool)
            return ((first.parameters + second.parameters).map(\.gradient.values) + [dx.values]).map { $0.map(\.bitPattern) }
        }
        let reference = gradients(threads: 1)
        XCTAssertTrue(reference[0].contains { $0 != 0 }, "the weight gradient is not all zero")
        for threads in [1, 2, 3] {
            for run in 0 ..< 2 {
                XCTAssertEqual(gradients(threads: threads), reference, "\(threads) threads, run \(run)")
            }
        }
    }

    /// The encoder's pair (1 -> 32 -> 64, 28 -> 14 -> 7) and the decoder's (64 -> 32 -> 1, 7 -> 14 -> 28):
    /// conv2's forward pass keeps its unfolded input in the workspace, each transposed convolution its
    /// channel-major input, and their backward passes read them instead of making them again. The
    /// gradients are the same bit for bit whether the backward pass finds them kept (same workspace),
    /// finds none (a fresh workspace), or finds another input's (a forward pass over other images in between).
    func testKeptUnfoldingGivesTheSameGradientsAsUnfoldingAgain() {
        var g = SeededGenerator(seed: 31)
        let conv1 = Conv2D(name: "c1", inputChannels: 1, outputChannels: 32, inputSide: 28, kernelSize: 3, stride: 2, padding: 1,
                           activation: .relu)
        let conv2 = Conv2D(name: "c2", inputChannels: 32, outputChannels: 64, inputSide: 14, kernelSize: 3, stride: 2, padding: 1,
                           activation: .relu)
        let deconv1 = ConvTranspose2D(name: "d1", inputChannels: 64, outputChannels: 32, inputSide: 7, kernelSize: 3, stride: 2,
                                      padding: 1, outputPadding: 1, activation: .relu)
        let deconv2 = ConvTranspose2D(name: "d2", inputChannels: 32, outputChannels: 1, inputSide: 14, kernelSize: 3, stride: 2,
                                      padding: 1, outputPadding: 1, activation: .identity)
        for layer in [conv1, conv2] as [any ChunkedConvolution] + [deconv1, deconv2] { layer.initialize(using: &g) }
        XCTAssertEqual(conv1.keptUnfoldingPerChunk, 0, "the direct kernel unfolds nothing")
        XCTAssertEqual(conv2.keptUnfoldingPerChunk, 288 * ConvolutionThreads.imagesPerChunk * 49)
        XCTAssertEqual(deconv2.keptUnfoldingPerChunk, 32 * ConvolutionThreads.imagesPerChunk * 196)
        let pool = ComputePool(threadCount: 2)
        let batch = 2 * ConvolutionThreads.imagesPerChunk + 3
        for (first, second) in [(conv1, conv2), (deconv1, deconv2)] as [(any ChunkedConvolution, any ChunkedConvolution)] {
            let chain = [first, second]
            func images() -> Matrix {
                Matrix(rows: batch, columns: first.inputSize, values: (0 ..< batch * first.inputSize).map { _ in g.nextUniform() })
            }
            let (x, other) = (images(), images())
            let dyValues = (0 ..< batch * second.outputSize).map { _ in g.nextUniform() * 2 - 1 }
            func workspace() -> LayerWorkspace {
                LayerWorkspace(threads: 2, floatsPerThread: ConvolutionThreads.backwardScratch(chain: chain))
            }
            func outputs() -> (Matrix, Matrix) {
                (Matrix(rows: batch, columns: first.outputSize), Matrix(rows: batch, columns: second.outputSize))
            }
            func forward(_ images: Matrix, into outputs: (Matrix, Matrix), _ workspace: LayerWorkspace) {
                ConvolutionThreads.forward(chain: chain, images, outputs: { $0 == 0 ? outputs.0 : outputs.1 }, workspace: workspace,
                                           pool: pool)
            }
            func backward(_ outputs: (Matrix, Matrix), _ workspace: LayerWorkspace) -> [[UInt32]] {
                let dMiddle = Matrix(rows: batch, columns: first.outputSize)
                let dy = Matrix(rows: batch, columns: second.outputSize, values: dyValues)
                let dx = Matrix(rows: batch, columns: first.inputSize)
                ConvolutionThreads.backward(chain: chain, input: x, outputs: { $0 == 0 ? outputs.0 : outputs.1 },
                                            gradients: { $0 == 0 ? dMiddle : dy }, inputGradient: dx, workspace: workspace, pool: pool)
                return ((first.parameters + second.parameters).map(\.gradient.values) + [dMiddle.values, dx.values])
                    .map { $0.map(\.bitPattern) }
            }
            // Forward passes alone keep nothing: a workspace's first, and those after it with no backward pass between.
            let evaluating = workspace(), evaluated = outputs()
            for _ in 0 ..< 2 { forward(x, into: evaluated, evaluating) }
            XCTAssertNil(evaluating.keptUnfolding(of: second, input: evaluated.0.storage, rows: batch))

            enum Between { case nothing, freshWorkspace, otherImages }
            func gradients(_ between: Between) -> [[UInt32]] {
                let training = workspace(), trained = outputs()
                forward(x, into: trained, training)
                _ = backward(trained, training)   // a step before: from now on the forward passes keep
                forward(x, into: trained, training)
                var backwardWorkspace = training
                switch between {
                case .nothing: break
                case .freshWorkspace: backwardWorkspace = workspace()
                case .otherImages: forward(other, into: outputs(), training)
                }
                let kept = backwardWorkspace.keptUnfolding(of: second, input: trained.0.storage, rows: batch) != nil
                XCTAssertEqual(kept, between == .nothing, "\(between)")
                return backward(trained, backwardWorkspace)
            }
            let unfoldedAgain = gradients(.freshWorkspace)
            XCTAssertTrue(unfoldedAgain[2].contains { $0 != 0 }, "the second layer's weight gradient is not all zero")
            XCTAssertEqual(gradients(.nothing), unfoldedAgain)
            XCTAssertEqual(gradients(.otherImages), unfoldedAgain)
        }
    }
}
