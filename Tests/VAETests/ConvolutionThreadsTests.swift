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
}
