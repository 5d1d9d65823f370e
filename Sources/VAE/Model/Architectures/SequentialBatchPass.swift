/// One half of a network as a chain of layers, with the activations its backward pass needs: each
/// layer's output and gradient `[B, ...]` for up to a batch capacity of rows, and, when the half reads
/// its input joined with a one-hot class, that joined input `[B, in + C]` and its gradient.
final class LayerChain {
    let layers: [any NetworkLayer]
    /// Output i of layer i; the last is the caller's (the encoder's hidden vector is kept here, the
    /// decoder's logits are the caller's matrix).
    private var outputs: [Matrix]
    private let gradients: [Matrix]
    /// [input, onehot(y)] and its gradient when the first layer reads a class.
    private let joined: Matrix?, joinedGradient: Matrix?
    /// The input of the last forward (the caller's, or `joined`).
    private var input: Matrix?
    /// Runs of two or more consecutive convolutions, by their first layer's index: their passes go chunk
    /// by chunk through the whole run in one region (`ConvolutionThreads.forward(chain:...)`, `backward(chain:...)`).
    private let convolutionRuns: [Int: [any ChunkedConvolution]]
    /// Floats of workspace a thread needs for the runs' backward passes (0 without runs).
    var chainedScratchPerThread: Int { convolutionRuns.values.map { ConvolutionThreads.backwardScratch(chain: $0) }.max() ?? 0 }

    /// `keepsLastOutput`: whether the chain allocates its last layer's output (the encoder's, read by
    /// the heads) or writes it into the caller's matrix (the decoder's logits).
    init(layers: [any NetworkLayer], batchCapacity b: Int, joinedClasses: Int, keepsLastOutput: Bool) {
        self.layers = layers
        let kept = keepsLastOutput ? layers : Array(layers.dropLast())
        outputs = kept.map { Matrix(rows: b, columns: $0.outputSize) }
        gradients = kept.map { Matrix(rows: b, columns: $0.outputSize) }
        let width = layers[0].inputSize
        (joined, joinedGradient) = joinedClasses > 0 ? (Matrix(rows: b, columns: width), Matrix(rows: b, columns: width)) : (nil, nil)
        convolutionRuns = Self.convolutionRuns(of: layers)
    }

    /// The run of convolutions whose last layer is `last`, with its first layer's index.
    private func convolutionRun(endingAt last: Int) -> (first: Int, run: [any ChunkedConvolution])? {
        for (first, run) in convolutionRuns where first + run.count - 1 == last { return (first, run) }
        return nil
    }

    private static func convolutionRuns(of layers: [any NetworkLayer]) -> [Int: [any ChunkedConvolution]] {
        var runs: [Int: [any ChunkedConvolution]] = [:]
        var i = 0
        while i < layers.count {
            var run: [any ChunkedConvolution] = []
            while i + run.count < layers.count, let layer = layers[i + run.count] as? any ChunkedConvolution { run.append(layer) }
            if run.count >= 2 { runs[i] = run }
            i += max(run.count, 1)
        }
        return runs
    }

    /// The last layer's output, when the chain keeps it (the encoder's hidden vector), and its gradient.
    var last: (output: Matrix, gradient: Matrix) { (outputs[layers.count - 1], gradients[layers.count - 1]) }

    /// The last layer's activation and kept output when it is dense, so that the caller may mask its
    /// gradient as it writes it (`backward(lastGradientIsPreActivation:)`); nil otherwise.
    var maskableLast: (Activation, Matrix)? { denseMask(at: layers.count - 1) }

    /// Layer `i`'s activation and kept output when it is dense: what the pass above it needs to turn
    /// the gradient it writes into that layer's dL/d(pre-activation). Nil for no layer (i < 0), a
    /// convolution, or a last output the chain does not keep.
    private func denseMask(at i: Int) -> (Activation, Matrix)? {
        guard i >= 0, i < outputs.count, let dense = layers[i] as? Dense else { return nil }
        return (dense.activation, outputs[i])
    }

    /// Runs the layers from `x` (joined with `classes` when the chain reads a class); the last writes
    /// into `final` (the caller's logits) when the chain does not keep its last output. With `groups`,
    /// the rows are that many groups of nearby points (`NetworkBatchPass.decode(_:classes:logits:groupedBy:)`):
    /// each dense layer after the first leaves out each group's inputs that an earlier layer's
    /// activation zeroed in all its rows.
    ///
    /// With `lastRows`, when the last layer is dense (not a convolution), each thread calls
    /// `lastRows(part, block)` on the block (rows, columns) of the final output it has just written, in the last layer's
    /// region; returns whether it did.
    @discardableResult
    func forward(_ x: Matrix, classes: Matrix?, into final: Matrix? = nil, groups: Int? = nil, workspace: LayerWorkspace,
                 activeInputs: ActiveInputsScratch? = nil, lastRows: ((_ part: Int, _ block: Dense.Block) -> Void)? = nil,
                 pool: ComputePool) -> Bool {
        var current = x
        if let joined {
            guard let classes else { preconditionFailure("a conditional network needs the classes") }
            joined.joinColumns(x, classes)
            current = joined
        } else {
            precondition(classes == nil, "an unconditional network takes no classes")
        }
        input = current
        func output(_ i: Int) -> Matrix { i < outputs.count ? outputs[i] : final! }
        var i = 0
        while i < layers.count {
            if let run = convolutionRuns[i] {
                let first = i
                ConvolutionThreads.forward(chain: run, current, outputs: { output(first + $0) }, workspace: workspace, pool: pool)
                i += run.count
            } else if let lastRows, i == layers.count - 1, let dense = layers[i] as? Dense {
                dense.forward(current, into: output(i), pool: pool, then: lastRows)
                return true
            } else if let groups, let activeInputs, i > 0, let dense = layers[i] as? Dense {
                let previous = (layers[i - 1] as? Dense).map { (layer: $0, input: i == 1 ? input! : output(i - 2)) }
                dense.forward(current, into: output(i), skippingInputsZeroInEachOf: groups, after: previous, scratch: activeInputs,
                              pool: pool)
                i += 1
            } else {
                layers[i].forward(current, into: output(i), workspace: workspace, pool: pool)
                i += 1
            }
            current = output(i - 1)
        }
        return false
    }

    /// After `forward`: the parameter gradients from dL/d(last output) — `lastGradient`, or the chain's
    /// own last gradient — and dL/dx into `inputGradient` (nil: none, the image's). The joined class
    /// columns are an input's, not a parameter's: their gradient is dropped. With
    /// `lastGradientIsPreActivation`, the last gradient already is dL/d(pre-activation) (the caller
    /// masked it: `maskableLast`). A dense layer below a dense layer or a run of convolutions gets its
    /// gradient masked in the upper pass's dx region, so that its own backward is one region.
    ///
    /// With `firstLayerDone`, when the first layer is dense and no dL/dx is asked for, its backward calls
    /// it on each thread's output units once their gradients are written (`Dense.backward`'s
    /// `parametersDone`); returns whether it did.
    @discardableResult
    func backward(lastOutput: Matrix? = nil, lastGradient: Matrix? = nil, lastGradientIsPreActivation: Bool = false,
                  inputGradient: Matrix?, firstLayerDone: ((_ part: Int, _ parts: Int, _ units: Range<Int>) -> Void)? = nil,
                  workspace: LayerWorkspace, pool: ComputePool) -> Bool {
        var calledFirstLayerDone = false
        guard let input else { preconditionFailure("backward before forward") }
        let firstGradient = inputGradient == nil ? nil : (joinedGradient ?? inputGradient)
        func output(_ i: Int) -> Matrix { i < outputs.count ? outputs[i] : lastOutput! }
        func gradient(_ i: Int) -> Matrix { i < gradients.count ? gradients[i] : lastGradient! }
        var i = layers.count - 1
        var preActivated = lastGradientIsPreActivation
        while i >= 0 {
            if let (first, run) = convolutionRun(endingAt: i) {
                precondition(!preActivated, "a convolution masks its own gradient")
                let below = denseMask(at: first - 1)
                ConvolutionThreads.backward(chain: run, input: first == 0 ? input : outputs[first - 1], outputs: { output(first + $0) },
                                            gradients: { gradient(first + $0) }, inputGradient: first == 0 ? firstGradient : gradients[first - 1],
                                            inputActivation: below, workspace: workspace, pool: pool)
                preActivated = below != nil
                i = first - 1
            } else if let dense = layers[i] as? Dense {
                let below = denseMask(at: i - 1)
                let done = i == 0 && firstGradient == nil ? firstLayerDone : nil
                dense.backward(input: i == 0 ? input : outputs[i - 1], output: output(i), outputGradient: gradient(i),
                               inputGradient: i == 0 ? firstGradient : gradients[i - 1],
                               outputGradientIsPreActivation: preActivated, inputActivation: below, parametersDone: done, pool: pool)
                calledFirstLayerDone = done != nil
                preActivated = below != nil
                i -= 1
            } else {
                precondition(!preActivated, "only a dense layer takes a masked gradient")
                layers[i].backward(input: i == 0 ? input : outputs[i - 1], output: output(i), outputGradient: gradient(i),
                                   inputGradient: i == 0 ? firstGradient : gradients[i - 1], accumulateInputGradient: false,
                                   workspace: workspace, pool: pool)
                i -= 1
            }
        }
        if let joinedGradient, let inputGradient { inputGradient.copyColumns(of: joinedGradient) }
        return calledFirstLayerDone
    }
}

/// The mini-batch passes of a `SequentialNetwork`: the encoder's chain then the heads, the decoder's
/// chain; backward in reverse. One workspace, as large as the largest layer's, serves every layer (none
/// keeps anything in it between passes).
final class SequentialBatchPass: NetworkBatchPass {
    private let heads: GaussianHeads
    private let pool: ComputePool
    private let encoder: LayerChain, decoder: LayerChain
    private let workspace: LayerWorkspace
    /// The grouped decode's packing buffers, made on its first use.
    private lazy var activeInputs = ActiveInputsScratch()
    private var mean: Matrix?, logVariance: Matrix?, logits: Matrix?   // the caller's

    init(network: SequentialNetwork, batchCapacity: Int, pool: ComputePool) {
        heads = network.heads
        self.pool = pool
        let classes = network.table.joinedClasses
        encoder = LayerChain(layers: network.encoder, batchCapacity: batchCapacity, joinedClasses: classes, keepsLastOutput: true)
        decoder = LayerChain(layers: network.decoder, batchCapacity: batchCapacity, joinedClasses: classes, keepsLastOutput: false)
        let single = network.layers.map(\.scratchPerThread).max() ?? 0
        workspace = LayerWorkspace(threads: pool.threadCount,
                                   floatsPerThread: max(single, encoder.chainedScratchPerThread, decoder.chainedScratchPerThread))
    }

    func encode(_ x: Matrix, classes: Matrix?, mean: Matrix, logVariance: Matrix) {
        encoder.forward(x, classes: classes, workspace: workspace, pool: pool)
        heads.forward(encoder.last.output, mean: mean, logVariance: logVariance, pool: pool)
        (self.mean, self.logVariance) = (mean, logVariance)
    }

    func decode(_ z: Matrix, classes: Matrix?, logits: Matrix) {
        decoder.forward(z, classes: classes, into: logits, workspace: workspace, pool: pool)
        self.logits = logits
    }

    /// `decode`, and when the decoder ends in a dense layer, `rows(part, block)` on each thread's block of
    /// the logits in that layer's region (one region fewer: the loss of those rows while they are in the
    /// cache); returns whether it called `rows`.
    func decode(_ z: Matrix, classes: Matrix?, logits: Matrix, thenRows rows: (_ part: Int, _ block: Dense.Block) -> Void) -> Bool {
        self.logits = logits
        return withoutActuallyEscaping(rows) { rows in
            decoder.forward(z, classes: classes, into: logits, workspace: workspace, lastRows: rows, pool: pool)
        }
    }

    func decode(_ z: Matrix, classes: Matrix?, logits: Matrix, groupedBy groups: Int) {
        decoder.forward(z, classes: classes, into: logits, groups: groups, workspace: workspace, activeInputs: activeInputs,
                        pool: pool)
        self.logits = logits
    }

    func decodeLikelihoods(_ z: Matrix, classes: Matrix?, logits: Matrix, groupedBy groups: Int, images: Matrix,
                           into: UnsafeMutablePointer<Double>) -> Bool {
        activeInputs.bernoulliLikelihoods = BernoulliLikelihoods(logits: logits, images: images.storage, into: into)
        activeInputs.likelihoodsWritten = false
        defer { activeInputs.bernoulliLikelihoods = nil }
        decode(z, classes: classes, logits: logits, groupedBy: groups)
        return activeInputs.likelihoodsWritten
    }

    func decodeBackward(logitsGradient: Matrix, zGradient: Matrix) {
        guard let logits else { preconditionFailure("decodeBackward before decode") }
        decoder.backward(lastOutput: logits, lastGradient: logitsGradient, inputGradient: zGradient, workspace: workspace, pool: pool)
    }

    func encodeBackward(meanGradient: Matrix, logVarianceGradient: Matrix) {
        encodeBackward(meanGradient: meanGradient, logVarianceGradient: logVarianceGradient, firstLayerDone: nil)
    }

    /// The encoder's first layer, when it is dense (the MLPs, the CVAE; not a convolution).
    var firstEncoderLayer: Dense? { encoder.layers.first as? Dense }

    /// `encodeBackward`, calling `firstLayerDone` in the encoder's first layer's region as
    /// `LayerChain.backward` says; returns whether it did.
    @discardableResult
    func encodeBackward(meanGradient: Matrix, logVarianceGradient: Matrix,
                        firstLayerDone: ((_ part: Int, _ parts: Int, _ units: Range<Int>) -> Void)?) -> Bool {
        guard let mean, let logVariance else { preconditionFailure("encodeBackward before encode") }
        let (hidden, hiddenGradient) = encoder.last
        let hiddenActivation = encoder.maskableLast
        heads.backward(hidden: hidden, mean: mean, logVariance: logVariance, meanGradient: meanGradient,
                       logVarianceGradient: logVarianceGradient, hiddenGradient: hiddenGradient,
                       hiddenActivation: hiddenActivation, pool: pool)
        return encoder.backward(lastGradientIsPreActivation: hiddenActivation != nil, inputGradient: nil,
                                firstLayerDone: firstLayerDone, workspace: workspace, pool: pool)
    }
}
