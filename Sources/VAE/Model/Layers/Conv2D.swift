import CKernels

/// A 2-D convolution over square images, PyTorch's `nn.Conv2d` (no dilation, no groups), with the
/// activation fused into its bias pass.
///
/// Shapes, with B images, C = inputChannels, F = outputChannels, S = inputSide, k = kernelSize and
/// O = outputSide = (S + 2 padding - k) / stride + 1 (rounded down):
///
///     x [B, C*S*S]      each row one image in NCHW order (channel, row, column)
///     W [F, C, k, k]    PyTorch's layout, stored as the matrix [F, K] with K = C*k*k
///     b [F]
///     y [B, F*O*O]      NCHW, like x; `y.view(B, F, O, O)` in PyTorch
///
/// Training forward, one sgemm for the whole batch so that the product is large (P = O*O positions):
///
///     columns [K, B*P] = im2col(x)                       columns[(c,kh,kw), (b,oy,ox)] = x[b, c, oy*stride-padding+kh, ox*stride-padding+kw]
///     product [F, B*P] = W [F, K] · columns [K, B*P]
///     y [B, F, P]      = activation(product + b)         the transposition to NCHW rides in the bias pass
///
/// Backward (`columns` must still hold the forward's unfolded input):
///
///     dpre             = dy ⊙ [y > 0]                    ReLU; in place in dy (identity leaves dy)
///     db [F]           = Σ over images and positions of dpre
///     dpreT [F, B*P]   = dpre in channel-major order     (into the `product` buffer)
///     dW [F, K]        = dpreT · columns^T               overwrites the gradient
///     dcolumns [K, B*P]= W^T · dpreT                     (over `columns`, which dW has used up)
///     dx               = col2im(dcolumns)                skipped when dx is nil (the first layer)
///
/// Workspace: columns K*B*P + product F*B*P floats (`scratchCount(batch:)`).
///
/// Inference (`inferenceForward`): no BLAS, image by image: im2col into a [K, P] scratch, then the
/// register-blocked `lx_small_gemm` writes y = activation(W · columns + b) straight in NCHW order.
public final class Conv2D: @unchecked Sendable {
    public let inputChannels: Int
    public let outputChannels: Int
    public let inputSide: Int
    public let outputSide: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let activation: Activation
    /// `[outputChannels, inputChannels, kernelSize, kernelSize]`.
    public let weight: Parameter
    /// `[outputChannels]`.
    public let bias: Parameter

    /// Floats in one input image, C*S*S.
    public var inputSize: Int { inputChannels * inputSide * inputSide }
    /// Floats in one output image, F*O*O.
    public var outputSize: Int { outputChannels * outputPlane }

    /// K: the length of one unfolded input patch, C*k*k (a row of the weight matrix).
    let patchSize: Int
    /// P: output positions per image, O*O.
    let outputPlane: Int
    let geometry: lx_conv_geometry

    public init(name: String, inputChannels: Int, outputChannels: Int, inputSide: Int, kernelSize: Int,
                stride: Int = 1, padding: Int = 0, activation: Activation) {
        precondition(inputChannels > 0 && outputChannels > 0 && inputSide > 0 && kernelSize > 0 && stride > 0,
                     "channels, sides, kernel size and stride must be positive")
        precondition(padding >= 0 && inputSide + 2 * padding >= kernelSize, "the kernel must fit in the padded input")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.inputSide = inputSide
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.activation = activation
        outputSide = (inputSide + 2 * padding - kernelSize) / stride + 1
        patchSize = inputChannels * kernelSize * kernelSize
        outputPlane = outputSide * outputSide
        geometry = lx_conv_geometry(channels: inputChannels, in_side: inputSide, out_side: outputSide,
                                    kernel: kernelSize, stride: stride, padding: padding)
        weight = Parameter(name: name + ".weight", shape: [outputChannels, inputChannels, kernelSize, kernelSize])
        bias = Parameter(name: name + ".bias", shape: [outputChannels])
    }

    public var parameters: [Parameter] { [weight, bias] }

    /// PyTorch's default: W and b uniform in ±1/sqrt(fan_in), fan_in = C*k*k (Kaiming-uniform with a = sqrt(5)).
    public func initialize(using generator: inout SeededGenerator) {
        let bound = 1 / Float(patchSize).squareRoot()
        for p in parameters {
            for i in 0 ..< p.value.count { p.value.storage[i] = (generator.nextUniform() * 2 - 1) * bound }
        }
    }

    // MARK: Training

    /// Floats of workspace a training pass over `batch` images needs: columns K*B*P + product F*B*P.
    public func scratchCount(batch: Int) -> Int { (patchSize + outputChannels) * batch * outputPlane }

    public func makeWorkspace(batchCapacity: Int) -> LayerWorkspace {
        LayerWorkspace(batchCapacity: batchCapacity, count: scratchCount(batch: batchCapacity))
    }

    /// y = activation(conv(x) + b) over the batch: im2col, one sgemm, one bias/activation/transposition pass.
    /// Leaves the unfolded input in `workspace` for `backward`.
    public func forward(_ x: Matrix, into y: Matrix, workspace: LayerWorkspace) {
        precondition(x.columns == inputSize && y.columns == outputSize, "conv2d: input or output width does not match")
        let batch = x.rows
        precondition(workspace.count >= scratchCount(batch: batch), "conv2d: workspace too small for the batch")
        y.rows = batch
        let n = batch * outputPlane
        let (columns, product) = buffers(workspace, batch: batch)
        TrainingKernels.im2col(geometry, x.storage, batch: batch, into: columns)
        TrainingKernels.gemm(m: outputChannels, n: n, k: patchSize, a: weight.value.storage, lda: patchSize,
                             b: columns, ldb: n, c: product, ldc: n)
        lx_from_channel_major(product, y.storage, batch, outputChannels, outputPlane, bias.value.storage,
                              activation == .relu ? 1 : 0, 0)
    }

    /// Backward pass. `outputGradient` holds dL/dy on entry; for ReLU it is masked in place to
    /// dL/d(pre-activation). The weight and bias gradients are overwritten (one backward per step).
    /// `inputGradient` nil skips dx (the first layer); with `accumulateInputGradient`, dx is added to
    /// what it holds. `workspace` must be the one the forward pass over this batch used.
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                         accumulateInputGradient: Bool = false, workspace: LayerWorkspace) {
        let batch = x.rows
        precondition(y.rows == batch && dy.rows == batch && dy.columns == outputSize, "conv2d: gradient shape does not match")
        precondition(workspace.count >= scratchCount(batch: batch), "conv2d: workspace too small for the batch")
        let n = batch * outputPlane
        let (columns, gradientT) = buffers(workspace, batch: batch)
        lx_channel_gradient(dy.storage, activation == .relu ? UnsafePointer(y.storage) : nil, bias.gradient.storage,
                            gradientT, batch, outputChannels, outputPlane)
        TrainingKernels.gemm(transposeB: true, m: outputChannels, n: patchSize, k: n, a: gradientT, lda: n,
                             b: columns, ldb: n, c: weight.gradient.storage, ldc: patchSize)
        guard let dx else { return }
        precondition(dx.columns == inputSize, "conv2d: input gradient width does not match")
        dx.rows = batch
        TrainingKernels.gemm(transposeA: true, m: patchSize, n: n, k: outputChannels, a: weight.value.storage,
                             lda: patchSize, b: gradientT, ldb: n, c: columns, ldc: n)
        TrainingKernels.col2im(geometry, columns, batch: batch, into: dx.storage, accumulate: accumulateInputGradient)
    }

    /// columns [K, B*P], then product [F, B*P], packed for this batch size.
    private func buffers(_ workspace: LayerWorkspace, batch: Int)
        -> (columns: UnsafeMutablePointer<Float>, product: UnsafeMutablePointer<Float>) {
        (workspace.storage, workspace.storage + patchSize * batch * outputPlane)
    }

    // MARK: Inference

    /// Floats of scratch `inferenceForward` needs, whatever the number of images: one image's columns, K*P.
    public var inferenceScratchCount: Int { patchSize * outputPlane }

    /// The forward pass without BLAS and without allocating, for the explorer's UI thread (OpenBLAS's
    /// threads may be busy training): x `[count, C*S*S]` -> y `[count, F*O*O]`, image by image, with
    /// `scratch` holding `inferenceScratchCount` floats. It only reads the weights, so several threads
    /// may run it at once on one layer, each with its own scratch.
    public func inferenceForward(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>,
                                 scratch: UnsafeMutablePointer<Float>) {
        for image in 0 ..< count {
            lx_im2col(geometry, x + image * inputSize, 1, scratch, outputPlane, 1)
            lx_small_gemm(outputChannels, outputPlane, patchSize, weight.value.storage, patchSize, 1,
                          scratch, outputPlane, bias.value.storage, activation == .relu ? 1 : 0,
                          y + image * outputSize, outputPlane)
        }
    }
}
