import CKernels

/// A fully connected layer `y = activation(x W^T + b)` with the activation fused into the bias pass.
///
/// Shapes (B = rows in the batch): input x `[B, inputSize]`, weight W `[outputSize, inputSize]`
/// (PyTorch's `nn.Linear` layout, so weight files load into PyTorch unchanged), bias b `[outputSize]`,
/// output y `[B, outputSize]`.
public final class Dense: @unchecked Sendable {
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
        let bound = 1 / Float(inputSize).squareRoot()
        for p in parameters {
            for i in 0 ..< p.value.count { p.value.storage[i] = (generator.nextUniform() * 2 - 1) * bound }
        }
    }

    /// y = activation(x W^T + b): one sgemm, then one pass for bias and activation.
    public func forward(_ x: Matrix, into y: Matrix) {
        precondition(x.columns == inputSize && y.columns == outputSize)
        y.rows = x.rows
        BLAS.gemm(transposeB: true, m: x.rows, n: outputSize, k: inputSize,
                  a: x.storage, lda: inputSize, b: weight.value.storage, ldb: inputSize,
                  beta: 0, c: y.storage, ldc: outputSize)
        let b = bias.value.storage
        for r in 0 ..< y.rows {
            let row = y.storage + r * outputSize
            switch activation {
            case .identity: for j in 0 ..< outputSize { row[j] += b[j] }
            case .relu: for j in 0 ..< outputSize { row[j] = max(row[j] + b[j], 0) }
            }
        }
    }

    /// The same forward pass without BLAS and without allocating, for the explorer's UI thread, which
    /// must not wait on OpenBLAS's threads while they train: x `[count, inputSize]` -> y
    /// `[count, outputSize]` (row-major, not overlapping x). It only reads the weights, so several
    /// threads may run it at once on one layer. Blocked dot products over 4 rows and 4 outputs.
    public func inferenceForward(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        lx_small_linear(x, weight.value.storage, bias.value.storage, y, count, inputSize, outputSize,
                        activation == .relu ? 1 : 0, 0)
    }

    /// Backward pass. `outputGradient` holds dL/dy on entry; for ReLU it is masked in place to dL/d(pre-activation).
    ///
    ///     dpre = dy ⊙ [y > 0]        (ReLU; identity leaves dy)
    ///     dW   = dpre^T x            [out, in]   (overwrites the gradient: one backward per step)
    ///     db   = Σ_rows dpre         [out]
    ///     dx   = dpre W              [B, in]     (skipped when inputGradient is nil, e.g. the first layer)
    ///
    /// With `accumulateInputGradient`, dx is added to what `inputGradient` holds (two heads reading one input).
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix,
                         inputGradient dx: Matrix?, accumulateInputGradient: Bool = false) {
        let batch = x.rows
        // In C: the Swift loop could not prove db apart from dy, so it neither vectorised nor avoided
        // the branch (2.5 ms of a 128 x 3136 backward, against 0.1 ms).
        lx_dense_bias_gradient(dy.storage, activation == .relu ? UnsafePointer(y.storage) : nil,
                               bias.gradient.storage, batch, outputSize)
        BLAS.gemm(transposeA: true, m: outputSize, n: inputSize, k: batch,
                  a: dy.storage, lda: outputSize, b: x.storage, ldb: inputSize,
                  beta: 0, c: weight.gradient.storage, ldc: inputSize)
        if let dx {
            dx.rows = batch
            BLAS.gemm(m: batch, n: inputSize, k: outputSize,
                      a: dy.storage, lda: outputSize, b: weight.value.storage, ldb: inputSize,
                      beta: accumulateInputGradient ? 1 : 0, c: dx.storage, ldc: inputSize)
        }
    }
}
