import CKernels

/// A 2-D transposed convolution over square images, PyTorch's `nn.ConvTranspose2d` (no dilation, no
/// groups), with the activation fused into its bias pass: the adjoint of a `Conv2D` from the output
/// back to the input, which is how it is computed.
///
/// Shapes, with B images, C = inputChannels, F = outputChannels, S = inputSide, k = kernelSize and
/// O = outputSide = (S - 1) stride - 2 padding + k + outputPadding:
///
///     x [B, C*S*S]      each row one image in NCHW order
///     W [C, F, k, k]    PyTorch's layout (input channels first!), stored as the matrix [C, R], R = F*k*k
///     b [F]
///     y [B, F*O*O]      NCHW
///
/// Output pixel (oy, ox) gathers input pixel (iy, ix) through kernel tap (kh, kw) when
/// oy = iy*stride - padding + kh and ox = ix*stride - padding + kw: exactly the pairs through which
/// the Conv2d with the same kernel, stride and padding maps a [F, O, O] image to [C, S, S]. So with
/// that convolution's im2col/col2im (Q = S*S input positions):
///
///     xT [C, B*Q]       = x in channel-major order
///     columns [R, B*Q]  = W^T [R, C] · xT                 one sgemm for the batch
///     y                 = activation(b + col2im(columns))
///
/// Backward (`xT` must still hold the forward's input):
///
///     dpre              = dy ⊙ [y > 0]                    ReLU; in place in dy
///     db [F]            = Σ over images and positions of dpre
///     dcolumns [R, B*Q] = im2col(dpre)                   (into `columns`)
///     dW [C, R]         = xT · dcolumns^T                 overwrites the gradient
///     dxT [C, B*Q]      = W · dcolumns                    (over `xT`, which dW has used up)
///     dx                = dxT in NCHW order               skipped when dx is nil
///
/// Workspace: xT C*B*Q + columns R*B*Q floats (`scratchCount(batch:)`).
///
/// Inference (`inferenceForward`): no BLAS, image by image, `lx_small_gemm` vectorised along the
/// longer of R and Q: for R >= Q the rows [Q, R] = x^T W (no copy of W needed, W's rows are
/// contiguous along R), otherwise the columns [R, Q] = W^T x; then col2im, bias and activation.
public final class ConvTranspose2D: @unchecked Sendable {
    public let inputChannels: Int
    public let outputChannels: Int
    public let inputSide: Int
    public let outputSide: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let outputPadding: Int
    public let activation: Activation
    /// `[inputChannels, outputChannels, kernelSize, kernelSize]`, as in PyTorch.
    public let weight: Parameter
    /// `[outputChannels]`.
    public let bias: Parameter

    /// Floats in one input image, C*S*S.
    public var inputSize: Int { inputChannels * inputPlane }
    /// Floats in one output image, F*O*O.
    public var outputSize: Int { outputChannels * outputSide * outputSide }

    /// R: one row of the weight matrix, F*k*k.
    let tapCount: Int
    /// Q: input positions per image, S*S.
    let inputPlane: Int
    /// The geometry of the convolution this layer transposes: F channels of side O -> side S.
    let geometry: lx_conv_geometry

    public init(name: String, inputChannels: Int, outputChannels: Int, inputSide: Int, kernelSize: Int,
                stride: Int = 1, padding: Int = 0, outputPadding: Int = 0, activation: Activation) {
        precondition(inputChannels > 0 && outputChannels > 0 && inputSide > 0 && kernelSize > 0 && stride > 0,
                     "channels, sides, kernel size and stride must be positive")
        precondition(padding >= 0 && outputPadding >= 0 && outputPadding < stride,
                     "padding must be non-negative and output padding smaller than the stride (as in PyTorch)")
        let side = (inputSide - 1) * stride - 2 * padding + kernelSize + outputPadding
        precondition(side > 0, "the output would be empty")
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.inputSide = inputSide
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.activation = activation
        outputSide = side
        tapCount = outputChannels * kernelSize * kernelSize
        inputPlane = inputSide * inputSide
        geometry = lx_conv_geometry(channels: outputChannels, in_side: side, out_side: inputSide,
                                    kernel: kernelSize, stride: stride, padding: padding)
        weight = Parameter(name: name + ".weight", shape: [inputChannels, outputChannels, kernelSize, kernelSize])
        bias = Parameter(name: name + ".bias", shape: [outputChannels])
    }

    public var parameters: [Parameter] { [weight, bias] }

    /// PyTorch's default: W and b uniform in ±1/sqrt(fan_in), where PyTorch takes fan_in from the
    /// weight's dimension 1, here F*k*k (Kaiming-uniform with a = sqrt(5)).
    public func initialize(using generator: inout SeededGenerator) {
        let bound = 1 / Float(tapCount).squareRoot()
        for p in parameters {
            for i in 0 ..< p.value.count { p.value.storage[i] = (generator.nextUniform() * 2 - 1) * bound }
        }
    }

    // MARK: Training

    /// Floats of workspace a training pass over `batch` images needs: xT C*B*Q + columns R*B*Q.
    public func scratchCount(batch: Int) -> Int { (inputChannels + tapCount) * batch * inputPlane }

    public func makeWorkspace(batchCapacity: Int) -> LayerWorkspace {
        LayerWorkspace(batchCapacity: batchCapacity, count: scratchCount(batch: batchCapacity))
    }

    /// y = activation(b + transposed conv(x)) over the batch: a transposition, one sgemm, col2im and a
    /// bias/activation pass. Leaves the transposed input in `workspace` for `backward`.
    public func forward(_ x: Matrix, into y: Matrix, workspace: LayerWorkspace) {
        precondition(x.columns == inputSize && y.columns == outputSize, "conv-transpose2d: input or output width does not match")
        let batch = x.rows
        precondition(workspace.count >= scratchCount(batch: batch), "conv-transpose2d: workspace too small for the batch")
        y.rows = batch
        let n = batch * inputPlane
        let (inputT, columns) = buffers(workspace, batch: batch)
        lx_to_channel_major(x.storage, inputT, batch, inputChannels, inputPlane)
        TrainingKernels.gemm(transposeA: true, m: tapCount, n: n, k: inputChannels, a: weight.value.storage,
                             lda: tapCount, b: inputT, ldb: n, c: columns, ldc: n)
        TrainingKernels.col2im(geometry, columns, batch: batch, into: y.storage, accumulate: false)
        lx_add_bias_activation(y.storage, bias.value.storage, batch, outputChannels, outputSide * outputSide,
                               activation == .relu ? 1 : 0)
    }

    /// Backward pass, with the conventions of `Conv2D.backward`: dy masked in place for ReLU, weight and
    /// bias gradients overwritten, dx skipped when nil or added to with `accumulateInputGradient`.
    /// `workspace` must be the one the forward pass over this batch used.
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                         accumulateInputGradient: Bool = false, workspace: LayerWorkspace) {
        let batch = x.rows
        precondition(y.rows == batch && dy.rows == batch && dy.columns == outputSize, "conv-transpose2d: gradient shape does not match")
        precondition(workspace.count >= scratchCount(batch: batch), "conv-transpose2d: workspace too small for the batch")
        let n = batch * inputPlane
        let (inputT, columns) = buffers(workspace, batch: batch)
        lx_channel_gradient(dy.storage, activation == .relu ? UnsafePointer(y.storage) : nil, bias.gradient.storage,
                            nil, batch, outputChannels, outputSide * outputSide)
        TrainingKernels.im2col(geometry, dy.storage, batch: batch, into: columns)
        TrainingKernels.gemm(transposeB: true, m: inputChannels, n: tapCount, k: n, a: inputT, lda: n,
                             b: columns, ldb: n, c: weight.gradient.storage, ldc: tapCount)
        guard let dx else { return }
        precondition(dx.columns == inputSize, "conv-transpose2d: input gradient width does not match")
        dx.rows = batch
        TrainingKernels.gemm(m: inputChannels, n: n, k: tapCount, a: weight.value.storage, lda: tapCount,
                             b: columns, ldb: n, c: inputT, ldc: n)
        lx_from_channel_major(inputT, dx.storage, batch, inputChannels, inputPlane, nil, 0,
                              accumulateInputGradient ? 1 : 0)
    }

    /// xT [C, B*Q], then columns [R, B*Q], packed for this batch size.
    private func buffers(_ workspace: LayerWorkspace, batch: Int)
        -> (inputT: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>) {
        (workspace.storage, workspace.storage + inputChannels * batch * inputPlane)
    }

    // MARK: Inference

    /// Floats of scratch `inferenceForward` needs, whatever the number of images: one image's R*Q products.
    public var inferenceScratchCount: Int { tapCount * inputPlane }

    /// The forward pass without BLAS and without allocating, for the explorer's UI thread (OpenBLAS's
    /// threads may be busy training): x `[count, C*S*S]` -> y `[count, F*O*O]`, image by image, with
    /// `scratch` holding `inferenceScratchCount` floats. It only reads the weights, so several threads
    /// may run it at once on one layer, each with its own scratch.
    public func inferenceForward(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>,
                                 scratch: UnsafeMutablePointer<Float>) {
        let w = weight.value.storage
        for image in 0 ..< count {
            let input = x + image * inputSize, output = y + image * outputSize
            if tapCount >= inputPlane {
                // rows [Q, R] = x^T [Q, C] · W [C, R]; element (r, q) of the unfolded matrix is rows[q*R + r].
                lx_small_gemm(inputPlane, tapCount, inputChannels, input, 1, inputPlane, w, tapCount,
                              nil, 0, scratch, tapCount)
                lx_col2im(geometry, scratch, 1, tapCount, 1, output, 0)
            } else {
                // columns [R, Q] = W^T [R, C] · x [C, Q].
                lx_small_gemm(tapCount, inputPlane, inputChannels, w, 1, tapCount, input, inputPlane,
                              nil, 0, scratch, inputPlane)
                lx_col2im(geometry, scratch, inputPlane, 1, 1, output, 0)
            }
            lx_add_bias_activation(output, bias.value.storage, 1, outputChannels, outputSide * outputSide,
                                   activation == .relu ? 1 : 0)
        }
    }
}
