/// How the convolution layers spread a training pass over threads: each thread takes a contiguous run
/// of the batch's images and works through it `imagesPerChunk` images at a time, so that a chunk's
/// unfolded input (at most 1.1 MB in the conv VAE) is still in cache when it is multiplied, instead of
/// a whole batch's (7.2 MB for 128 images) going out to memory and back. Where L2 is smaller than the
/// chunk (512 KB a core on Zen 3, where conv2's 903 KB of columns spill to L3), it is L3 that keeps it.
enum ConvolutionThreads {
    /// A chunk of 7x7 or 14x14 planes then spans a multiple of 16 positions: whole vectors for the kernels.
    static let imagesPerChunk = 16

    /// Calls `body(slot, images)` on up to `threads` threads of `pool` at once, slot numbering
    /// the threads and `images` their parts of `0 ..< batch` (contiguous, in order; fewer threads when
    /// the batch is smaller). Returns how many slots ran. The split depends only on `batch` and
    /// `threads`, so results summed over slots are the same from run to run.
    @discardableResult
    static func run(batch: Int, threads: Int, pool: ComputePool,
                    _ body: (_ slot: Int, _ images: Range<Int>) -> Void) -> Int {
        let parts = max(1, min(threads, batch, pool.threadCount))
        pool.forEachPart(of: batch, parts: parts, body)
        return parts
    }

    /// Calls `body(first, count)` for each chunk of at most `imagesPerChunk` images of `images`.
    static func forEachChunk(of images: Range<Int>, _ body: (_ first: Int, _ count: Int) -> Void) {
        var first = images.lowerBound
        while first < images.upperBound {
            let count = min(imagesPerChunk, images.upperBound - first)
            body(first, count)
            first += count
        }
    }

    /// Runs consecutive convolution layers forward in one region, chunk by chunk (a chain of one is a
    /// layer's own `forward`): each thread takes its
    /// images 16 at a time through every layer of `chain` before the next chunk, so that a chunk's
    /// intermediate planes (conv1's 16 x 32 x 14 x 14, 400 KB) are read back from the core's L2 while
    /// still there, instead of a whole half-batch's going out to L3 between two layers, and the threads
    /// meet once for the chain instead of once a layer. `outputs(i)` receives layer i's output (the
    /// backward pass reads them); the same images and the same sums as layer-by-layer passes.
    /// Every layer's scratch fits `workspace`'s slots, and no layer keeps anything in it, so a thread's
    /// one slot serves each layer in turn.
    static func forward(chain: [any ChunkedConvolution], _ x: Matrix, outputs: (Int) -> Matrix, workspace: LayerWorkspace,
                        pool: ComputePool) {
        precondition(x.columns == chain[0].inputSize, "convolution chain: input width does not match")
        for (i, layer) in chain.enumerated() {
            precondition(outputs(i).columns == layer.outputSize && workspace.floatsPerThread >= layer.scratchPerThread,
                         "convolution chain: output width or workspace slots do not match")
            outputs(i).rows = x.rows
        }
        run(batch: x.rows, threads: workspace.threads, pool: pool) { slot, images in
            let scratch = workspace.slot(slot)
            forEachChunk(of: images) { first, count in
                var input = UnsafePointer(x.storage + first * chain[0].inputSize)
                for (i, layer) in chain.enumerated() {
                    let output = outputs(i).storage + first * layer.outputSize
                    layer.forwardChunk(input, count: count, into: output, scratch: scratch)
                    input = UnsafePointer(output)
                }
            }
        }
    }

    /// Floats a workspace slot needs for `backward(chain:...)`: every layer's scratch side by side, since
    /// each keeps its weight- and bias-gradient sums in its own across the region.
    static func backwardScratch(chain: [any ChunkedConvolution]) -> Int {
        chain.reduce(0) { $0 + $1.scratchPerThread }
    }

    /// The backward pass of consecutive convolution layers in one region, chunk by chunk from the last
    /// layer to the first: a chunk's dx from layer i + 1 is layer i's dy while it is still in L2, and
    /// the threads meet once for the chain. Layer i reads `outputs(i)` (its forward output) and
    /// `gradients(i)` (dL/d its output, turned into dL/d(pre-activation) in place), and writes dx into
    /// `gradients(i - 1)`; the first layer's dx goes to `inputGradient` (nil: none; added to what it holds
    /// with `accumulateInputGradient`). A chain of one is a layer's own `backward`. Each layer's sums
    /// live in its own part of the thread's slot, in the order of `chain`, so the weight and bias
    /// gradients are those of layer-by-layer passes, bit for bit.
    static func backward(chain: [any ChunkedConvolution], input x: Matrix, outputs: (Int) -> Matrix, gradients: (Int) -> Matrix,
                         inputGradient: Matrix?, accumulateInputGradient: Bool = false, workspace: LayerWorkspace,
                         pool: ComputePool) {
        precondition(workspace.floatsPerThread >= backwardScratch(chain: chain), "convolution chain: workspace slots too small")
        let batch = x.rows
        precondition(chain.indices.allSatisfy { outputs($0).rows == batch } && gradients(chain.count - 1).rows == batch,
                     "convolution chain: output or gradient rows do not match")
        for i in chain.indices.dropLast() { gradients(i).rows = batch }   // written as the next layer's dx
        inputGradient?.rows = batch
        func scratch(_ slot: Int, _ layer: Int) -> UnsafeMutablePointer<Float> {
            var offset = 0
            for i in 0 ..< layer { offset += chain[i].scratchPerThread }
            return workspace.slot(slot) + offset
        }
        let slots = run(batch: batch, threads: workspace.threads, pool: pool) { slot, images in
            for i in chain.indices { chain[i].beginBackward(scratch: scratch(slot, i)) }
            forEachChunk(of: images) { first, count in
                for i in chain.indices.reversed() {
                    chain[i].backwardChunk(input: i == 0 ? x : outputs(i - 1), output: outputs(i), outputGradient: gradients(i),
                                           inputGradient: i == 0 ? inputGradient : gradients(i - 1),
                                           accumulateInputGradient: i == 0 && accumulateInputGradient,
                                           first: first, count: count, scratch: scratch(slot, i))
                }
            }
        }
        for i in chain.indices { chain[i].finishBackward(slots: slots) { scratch($0, i) } }
    }

    /// `target[i] = Σ over slots of parts[slot * stride + i]` for `i < count`: the per-thread gradients, summed.
    static func sum(_ parts: (Int) -> UnsafeMutablePointer<Float>, slots: Int, count: Int,
                    into target: UnsafeMutablePointer<Float>) {
        target.update(from: parts(0), count: count)
        for slot in 1 ..< max(slots, 1) {
            let part = parts(slot)
            for i in 0 ..< count { target[i] += part[i] }
        }
    }
}

/// A convolution layer whose training passes work through a thread's images a chunk at a time, so that
/// consecutive ones can share one region (`ConvolutionThreads.forward(chain:...)`, `backward(chain:...)`).
protocol ChunkedConvolution: NetworkLayer {
    /// `count` images (at most `ConvolutionThreads.imagesPerChunk`) forward, x `[count, inputSize]` ->
    /// y `[count, outputSize]`, with `scratch` one thread's `scratchPerThread` floats.
    func forwardChunk(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>)
    /// The backward pass in three steps, as `backward` takes them: each thread zeroes its sums in its
    /// scratch, goes through its chunks, and the threads' sums are added up after the region.
    func beginBackward(scratch: UnsafeMutablePointer<Float>)
    func backwardChunk(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                       accumulateInputGradient: Bool, first: Int, count: Int, scratch: UnsafeMutablePointer<Float>)
    func finishBackward(slots: Int, scratch: (Int) -> UnsafeMutablePointer<Float>)
}

extension Conv2D: ChunkedConvolution {}
extension ConvTranspose2D: ChunkedConvolution {}
