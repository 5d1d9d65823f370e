import Synchronization

/// How the convolution layers spread a training pass over threads: the threads take the batch's images
/// `imagesPerChunk` at a time, each claiming the next chunk when it is done with one, so that a chunk's
/// unfolded input (at most 1.1 MB in the conv VAE) is still in cache when it is multiplied, instead of
/// a whole batch's (7.2 MB for 128 images) going out to memory and back. Where L2 is smaller than the
/// chunk (512 KB a core on Zen 3, where conv2's 903 KB of columns spill to L3), it is L3 that keeps it.
enum ConvolutionThreads {
    /// A chunk of 7x7 or 14x14 planes then spans a multiple of 16 positions: whole vectors for the kernels.
    static let imagesPerChunk = 16

    /// The chunks of a batch of `batch` images: ⌈batch / imagesPerChunk⌉, chunk c its images
    /// `c * imagesPerChunk ..< min((c + 1) * imagesPerChunk, batch)`.
    static func chunkCount(batch: Int) -> Int { (batch + imagesPerChunk - 1) / imagesPerChunk }

    /// Calls `body(slot, chunk, first, count)` for every chunk of `0 ..< batch` on up to `threads` threads
    /// of `pool` at once, `slot` numbering the threads: each thread claims the next chunk not yet taken
    /// (a shared counter) until none is left. So a thread that is slowed (the other engineers' jobs, an
    /// interrupt, a wake-up) takes fewer chunks instead of the other waiting for it at the region's end,
    /// as it did when each thread owned half of the batch: the threads then finish at most a chunk apart.
    /// Which thread takes which chunk varies from run to run; what a chunk computes does not, and the
    /// backward pass sums its gradients per chunk, in chunk order. Returns how many slots ran.
    @discardableResult
    static func forEachClaimedChunk(batch: Int, threads: Int, pool: ComputePool,
                                    _ body: (_ slot: Int, _ chunk: Int, _ first: Int, _ count: Int) -> Void) -> Int {
        let chunks = chunkCount(batch: batch)
        let parts = max(1, min(threads, chunks, pool.threadCount))
        let next = Atomic<Int>(0)
        pool.forEachPart(of: parts, parts: parts) { slot, _ in
            while true {
                let chunk = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard chunk < chunks else { return }
                let first = chunk * imagesPerChunk
                body(slot, chunk, first, min(imagesPerChunk, batch - first))
            }
        }
        return parts
    }

    /// Runs consecutive convolution layers forward in one region, chunk by chunk (a chain of one is a
    /// layer's own `forward`): each thread takes
    /// chunks of 16 images (`forEachClaimedChunk`) through every layer of `chain` before the next chunk, so that a chunk's
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
        forEachClaimedChunk(batch: x.rows, threads: workspace.threads, pool: pool) { slot, _, first, count in
            let scratch = workspace.slot(slot)
            var input = UnsafePointer(x.storage + first * chain[0].inputSize)
            for (i, layer) in chain.enumerated() {
                let output = outputs(i).storage + first * layer.outputSize
                layer.forwardChunk(input, count: count, into: output, scratch: scratch)
                input = UnsafePointer(output)
            }
        }
    }

    /// Floats a workspace slot needs for `backward(chain:...)`: the largest layer's scratch, since a
    /// thread's slot serves each layer in turn (the gradient sums live per chunk, `gradientSumsPerChunk`).
    static func backwardScratch(chain: [any ChunkedConvolution]) -> Int {
        chain.map(\.scratchPerThread).max() ?? 0
    }

    /// The backward pass of consecutive convolution layers in one region, chunk by chunk from the last
    /// layer to the first: a chunk's dx from layer i + 1 is layer i's dy while it is still in L2, and
    /// the threads meet once for the chain. Layer i reads `outputs(i)` (its forward output) and
    /// `gradients(i)` (dL/d its output, turned into dL/d(pre-activation) in place), and writes dx into
    /// `gradients(i - 1)`; the first layer's dx goes to `inputGradient` (nil: none; added to what it holds
    /// with `accumulateInputGradient`). A chain of one is a layer's own `backward`. Each chunk writes
    /// each layer's weight- and bias-gradient sums over its images into its own place in the
    /// workspace's chunk sums, and they are added up in chunk order after the region: the same
    /// gradients whichever thread took which chunk, and with any number of threads. With
    /// `inputActivation` (the activation and output of the layer that made x), each chunk's dx becomes
    /// that layer's dL/d(pre-activation) once written (`Dense.backward`'s `outputGradientIsPreActivation`).
    static func backward(chain: [any ChunkedConvolution], input x: Matrix, outputs: (Int) -> Matrix, gradients: (Int) -> Matrix,
                         inputGradient: Matrix?, accumulateInputGradient: Bool = false, inputActivation: (Activation, Matrix)? = nil,
                         workspace: LayerWorkspace, pool: ComputePool) {
        precondition(workspace.floatsPerThread >= backwardScratch(chain: chain), "convolution chain: workspace slots too small")
        let batch = x.rows
        precondition(chain.indices.allSatisfy { outputs($0).rows == batch } && gradients(chain.count - 1).rows == batch,
                     "convolution chain: output or gradient rows do not match")
        for i in chain.indices.dropLast() { gradients(i).rows = batch }   // written as the next layer's dx
        inputGradient?.rows = batch
        let offsets = chain.reduce(into: [0]) { $0.append($0.last! + $1.gradientSumsPerChunk) }
        let perChunk = offsets.last!
        let chunks = chunkCount(batch: batch)
        let allSums = workspace.chunkSums(floats: chunks * perChunk)
        func sums(_ chunk: Int, _ layer: Int) -> UnsafeMutablePointer<Float> { allSums + chunk * perChunk + offsets[layer] }
        forEachClaimedChunk(batch: batch, threads: workspace.threads, pool: pool) { slot, chunk, first, count in
            for i in chain.indices.reversed() {
                chain[i].backwardChunk(input: i == 0 ? x : outputs(i - 1), output: outputs(i), outputGradient: gradients(i),
                                       inputGradient: i == 0 ? inputGradient : gradients(i - 1),
                                       accumulateInputGradient: i == 0 && accumulateInputGradient,
                                       first: first, count: count, scratch: workspace.slot(slot), sums: sums(chunk, i))
            }
            if let inputGradient, let (activation, output) = inputActivation {
                activation.applyGradient(inputGradient, output: output, block: (first ..< first + count, 0 ..< inputGradient.columns))
            }
        }
        for i in chain.indices { chain[i].finishBackward(chunks: chunks) { sums($0, i) } }
    }

    /// `target[i] = Σ over parts of parts(part)[i]` for `i < count`, added in part order: the per-chunk
    /// gradients, summed.
    static func sum(_ parts: (Int) -> UnsafeMutablePointer<Float>, count partCount: Int, floats count: Int,
                    into target: UnsafeMutablePointer<Float>) {
        guard partCount > 0 else { return target.update(repeating: 0, count: count) }   // an empty batch
        target.update(from: parts(0), count: count)
        for index in 1 ..< partCount {
            let part = parts(index)
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
    /// The kernel and the bias, whose gradients `finishBackward` writes.
    var weight: Parameter { get }
    var bias: Parameter { get }
    /// The backward pass in two steps, as `backward` takes them: each chunk of images writes its dx and
    /// its own gradient sums (`sums`, `gradientSumsPerChunk` floats, overwritten) with one thread's
    /// `scratch`; then the chunks' sums are added up in chunk order.
    func backwardChunk(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                       accumulateInputGradient: Bool, first: Int, count: Int, scratch: UnsafeMutablePointer<Float>,
                       sums: UnsafeMutablePointer<Float>)
}

extension ChunkedConvolution {
    /// Floats of one chunk's weight- and bias-gradient sums: dW (the kernel's shape), then db.
    var gradientSumsPerChunk: Int { weight.gradient.count + bias.gradient.count }

    /// The weight and bias gradients: the sums of the `chunks` chunks' (`sums(chunk)`), added in chunk order.
    func finishBackward(chunks: Int, sums: (Int) -> UnsafeMutablePointer<Float>) {
        let weights = weight.gradient.count
        ConvolutionThreads.sum({ sums($0) }, count: chunks, floats: weights, into: weight.gradient.storage)
        ConvolutionThreads.sum({ sums($0) + weights }, count: chunks, floats: bias.gradient.count, into: bias.gradient.storage)
    }
}

extension Conv2D: ChunkedConvolution {}
extension ConvTranspose2D: ChunkedConvolution {}
