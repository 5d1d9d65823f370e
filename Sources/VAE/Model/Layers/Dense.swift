import CKernels
import Support

/// A fully connected layer `y = activation(x W^T + b)` with the activation fused into the bias pass.
///
/// Shapes (B = rows in the batch): input x `[B, inputSize]`, weight W `[outputSize, inputSize]`
/// (PyTorch's `nn.Linear` layout, so weight files load into PyTorch unchanged), bias b `[outputSize]`,
/// output y `[B, outputSize]`.
public final class Dense {
    public let inputSize: Int
    public let outputSize: Int
    public let activation: Activation
    public let weight: Parameter
    public let bias: Parameter

    public init(name: String, inputSize: Int, outputSize: Int, activation: Activation) {
        self.inputSize = inputSize
        self.outputSize = outputSize
        self.activation = activation
        weight = Parameter(name: name + ".weight", shape: [outputSize, inputSize])
        bias = Parameter(name: name + ".bias", shape: [outputSize])
    }

    public var parameters: [Parameter] { [weight, bias] }

    /// PyTorch's default: W and b uniform in ±1/sqrt(inputSize) (Kaiming-uniform with a = sqrt(5)).
    public func initialize(using generator: inout SeededGenerator) {
        Parameter.initializeUniform(parameters, fanIn: inputSize, using: &generator)
    }

    /// Products smaller than this many multiply-adds run on the calling thread alone: splitting them
    /// would cost more in hand-offs than it saves (the latent heads, the first decoder layer).
    static let parallelWork = 1 << 16

    /// The parts to split a product of `work` multiply-adds into: all of `pool`'s threads, or one.
    func threads(for work: Int, in pool: ComputePool) -> Int {
        work >= Self.parallelWork ? pool.threadCount : 1
    }

    /// The parts a pass over `batch` rows is split into (the same for the forward and backward passes).
    func parts(batch: Int, in pool: ComputePool) -> Int {
        threads(for: batch * inputSize * outputSize, in: pool)
    }

    /// A thread's part of a `[B, width]` matrix: some of its rows, some of its columns.
    typealias Block = (rows: Range<Int>, columns: Range<Int>)

    /// Whether a product over `batch` rows whose weight side is `weightSide` wide (the forward pass's
    /// output units, the input gradient's inputs) splits that side between threads rather than the
    /// batch's rows. Each thread's single-threaded sgemm packs the whole of the operand it does not
    /// split: all of W when the rows are split, all of the batch's matrix when W's side is. So the side
    /// whose operand is larger is split: W's when `weightSide` exceeds the batch (the MLPs' 512- and
    /// 784-wide layers; docs/speed.md has the measurement).
    static func splitsWeightSide(_ weightSide: Int, batch: Int) -> Bool { weightSide > batch }

    /// Part `part` of `parts` of a `[batch, width]` product, split along `width` or the rows as
    /// `splitsWeightSide` says.
    static func block(_ part: Int, of parts: Int, batch: Int, width: Int) -> Block {
        splitsWeightSide(width, batch: batch)
            ? (0 ..< batch, ComputePool.part(part, of: width, parts: parts))
            : (ComputePool.part(part, of: batch, parts: parts), 0 ..< width)
    }

    /// y = activation(x W^T + b), split over `pool` by rows or by output units (`splitsWeightSide`):
    /// each thread one single-threaded sgemm for its block, then one pass for bias and activation over it.
    public func forward(_ x: Matrix, into y: Matrix, pool: ComputePool) {
        forward(x, into: y, pool: pool) { _, _ in }
    }

    /// The forward pass, then `epilogue(part, block)` on each thread's block of y (possibly empty) in
    /// the same region, as soon as that thread has written it (the loss of the decoder's output).
    func forward(_ x: Matrix, into y: Matrix, pool: ComputePool, then epilogue: (_ part: Int, _ block: Block) -> Void) {
        precondition(x.columns == inputSize && y.columns == outputSize)
        y.rows = x.rows
        guard x.rows > 0 else { return }
        let parts = parts(batch: x.rows, in: pool)
        pool.forEachIndex(parts) { part in
            let block = Self.block(part, of: parts, batch: x.rows, width: outputSize)
            forwardBlock(x, into: y, block)
            epilogue(part, block)
        }
    }

    /// Rows `rows` of the forward pass, on the calling thread (a part of a region another pass runs).
    func forwardRows(_ x: Matrix, into y: Matrix, rows: Range<Int>) {
        forwardBlock(x, into: y, (rows, 0 ..< outputSize))
    }

    /// One block of y (rows, output units) of the forward pass, on the calling thread.
    func forwardBlock(_ x: Matrix, into y: Matrix, _ block: Block) {
        precondition(x.columns == inputSize && y.columns == outputSize)
        let (rows, units) = block
        guard !rows.isEmpty, !units.isEmpty else { return }
        let output = y.storage + rows.lowerBound * outputSize + units.lowerBound
        BLAS.gemm(transposeB: true, m: rows.count, n: units.count, k: inputSize,
                  a: x.storage + rows.lowerBound * inputSize, lda: inputSize,
                  b: weight.value.storage + units.lowerBound * inputSize, ldb: inputSize,
                  beta: 0, c: output, ldc: outputSize)
        if units.count == outputSize {
            lx_dense_bias_activation(output, bias.value.storage, rows.count, outputSize, activation.code)
        } else {
            for row in 0 ..< rows.count {
                lx_dense_bias_activation(output + row * outputSize, bias.value.storage + units.lowerBound, 1, units.count,
                                         activation.code)
            }
        }
    }

    /// The same forward pass without BLAS and without allocating, for the explorer's UI thread, which
    /// must not wait on OpenBLAS's threads while they train: x `[count, inputSize]` -> y
    /// `[count, outputSize]` (row-major, not overlapping x). It only reads the weights, so several
    /// threads may run it at once on one layer. Blocked dot products over 4 rows and 4 outputs.
    public func inferenceForward(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        lx_small_linear(x, weight.value.storage, bias.value.storage, y, count, inputSize, outputSize,
                        activation.code, 0)
    }

    /// Backward pass. `outputGradient` holds dL/dy on entry; it is turned in place into dL/d(pre-activation).
    ///
    ///     dpre = dy ⊙ f'(pre)        (ReLU: [y > 0], LeakyReLU: 1 or its slope by the sign of y; identity leaves dy)
    ///     dW   = dpre^T x            [out, in]   (overwrites the gradient: one backward per step)
    ///     db   = Σ_rows dpre         [out]
    ///     dx   = dpre W              [B, in]     (skipped when inputGradient is nil, e.g. the first layer)
    ///
    /// With `accumulateInputGradient`, dx is added to what `inputGradient` holds (two heads reading one input).
    /// With `outputGradientIsPreActivation`, dy already is dpre (the layer above masked it in its own
    /// region: `inputActivation`). With `inputActivation` (the activation and output of the layer that
    /// produced x), dx is turned into that layer's dL/d(pre-activation) as each thread finishes its part.
    ///
    /// The output units split between threads for db and the rows of dW they own, and the batch's rows
    /// or x's columns (`block`) for dx. When dpre is known before the pass (identity, or masked by the layer above), both are
    /// one region; otherwise the mask the first region applies must be whole before dx: two regions.
    ///
    /// With `parametersDone` (only without dx, which reads W in the same region), each thread calls
    /// `parametersDone(part, parts, units)` once it has written dW's and db's rows for output units
    /// `units`, in the region that wrote them (the optimizer's update of those rows and its share of
    /// the other layers': `TrainingStep.backward(thenUpdate:)`).
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix,
                         inputGradient dx: Matrix?, accumulateInputGradient: Bool = false,
                         outputGradientIsPreActivation: Bool = false, inputActivation: (Activation, Matrix)? = nil,
                         parametersDone: ((_ part: Int, _ parts: Int, _ units: Range<Int>) -> Void)? = nil,
                         pool: ComputePool) {
        precondition(parametersDone == nil || dx == nil, "the layer's weight is read for dx in the same region")
        let batch = x.rows
        let parts = parts(batch: batch, in: pool)
        let mask = outputGradientIsPreActivation ? nil
            : activation.prepareGradient(dy.storage, output: y.storage, count: batch * outputSize)
        dx?.rows = batch
        func inputGradientPart(_ part: Int) {
            guard let dx else { return }
            let block = Self.block(part, of: parts, batch: batch, width: inputSize)
            inputGradientBlock(dy, into: dx, block, accumulate: accumulateInputGradient)
            if let (activation, output) = inputActivation { activation.applyGradient(dx, output: output, block: block) }
        }
        if mask == nil {
            pool.forEachIndex(parts) { part in
                let units = ComputePool.part(part, of: outputSize, parts: parts)
                parameterGradient(input: x, outputGradient: dy, mask: nil, units: units)
                inputGradientPart(part)
                parametersDone?(part, parts, units)
            }
        } else {
            pool.forEachIndex(parts) { part in
                let units = ComputePool.part(part, of: outputSize, parts: parts)
                parameterGradient(input: x, outputGradient: dy, mask: mask, units: units)
                parametersDone?(part, parts, units)
            }
            if dx != nil { pool.forEachIndex(parts, inputGradientPart) }
        }
    }

    /// db and dW's rows for output units `units` from all the batch's rows of dy, masking dy's columns
    /// of those units in place first when `mask` (ReLU's output) is given.
    func parameterGradient(input x: Matrix, outputGradient dy: Matrix, mask: UnsafePointer<Float>?, units: Range<Int>) {
        guard !units.isEmpty else { return }
        let first = units.lowerBound
        lx_dense_bias_gradient(dy.storage + first, mask.map { $0 + first },
                               bias.gradient.storage + first, x.rows, units.count, outputSize)
        BLAS.gemm(transposeA: true, m: units.count, n: inputSize, k: x.rows,
                  a: dy.storage + first, lda: outputSize, b: x.storage, ldb: inputSize,
                  beta: 0, c: weight.gradient.storage + first * inputSize, ldc: inputSize)
    }

    /// Rows `rows` of dx = dpre W (added to dx's rows with `accumulate`).
    func inputGradientRows(_ dy: Matrix, into dx: Matrix, rows: Range<Int>, accumulate: Bool) {
        inputGradientBlock(dy, into: dx, (rows, 0 ..< inputSize), accumulate: accumulate)
    }

    /// One block (rows, inputs) of dx = dpre W (added to it with `accumulate`).
    func inputGradientBlock(_ dy: Matrix, into dx: Matrix, _ block: Block, accumulate: Bool) {
        let (rows, inputs) = block
        guard !rows.isEmpty, !inputs.isEmpty else { return }
        BLAS.gemm(m: rows.count, n: inputs.count, k: outputSize,
                  a: dy.storage + rows.lowerBound * outputSize, lda: outputSize,
                  b: weight.value.storage + inputs.lowerBound, ldb: inputSize,
                  beta: accumulate ? 1 : 0, c: dx.storage + rows.lowerBound * inputSize + inputs.lowerBound, ldc: inputSize)
    }
}
