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
    private func threads(for work: Int, in pool: ComputePool) -> Int {
        work >= Self.parallelWork ? pool.threadCount : 1
    }

    /// y = activation(x W^T + b), the batch's rows split over `pool`: each thread one
    /// single-threaded sgemm for its rows, then one pass for bias and activation over them.
    public func forward(_ x: Matrix, into y: Matrix, pool: ComputePool) {
        precondition(x.columns == inputSize && y.columns == outputSize)
        y.rows = x.rows
        pool.forEachPart(of: x.rows, parts: threads(for: x.rows * inputSize * outputSize, in: pool)) { _, rows in
            let (input, output) = (x.storage + rows.lowerBound * inputSize, y.storage + rows.lowerBound * outputSize)
            BLAS.gemm(transposeB: true, m: rows.count, n: outputSize, k: inputSize,
                      a: input, lda: inputSize, b: weight.value.storage, ldb: inputSize,
                      beta: 0, c: output, ldc: outputSize)
            lx_dense_bias_activation(output, bias.value.storage, rows.count, outputSize, activation.code)
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
    ///
    /// Two regions on `pool`: the output units split between threads for the mask, db and
    /// the rows of dW they own; then the batch's rows split for dx, which needs every unit's mask.
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix,
                         inputGradient dx: Matrix?, accumulateInputGradient: Bool = false, pool: ComputePool) {
        let batch = x.rows
        let parts = threads(for: batch * inputSize * outputSize, in: pool)
        let mask = activation.prepareGradient(dy.storage, output: y.storage, count: batch * outputSize)
        pool.forEachPart(of: outputSize, parts: parts) { _, units in
            let first = units.lowerBound
            lx_dense_bias_gradient(dy.storage + first, mask.map { $0 + first },
                                   bias.gradient.storage + first, batch, units.count, outputSize)
            BLAS.gemm(transposeA: true, m: units.count, n: inputSize, k: batch,
                      a: dy.storage + first, lda: outputSize, b: x.storage, ldb: inputSize,
                      beta: 0, c: weight.gradient.storage + first * inputSize, ldc: inputSize)
        }
        guard let dx else { return }
        dx.rows = batch
        pool.forEachPart(of: batch, parts: parts) { _, rows in
            BLAS.gemm(m: rows.count, n: inputSize, k: outputSize,
                      a: dy.storage + rows.lowerBound * outputSize, lda: outputSize, b: weight.value.storage, ldb: inputSize,
                      beta: accumulateInputGradient ? 1 : 0, c: dx.storage + rows.lowerBound * inputSize, ldc: inputSize)
        }
    }
}
