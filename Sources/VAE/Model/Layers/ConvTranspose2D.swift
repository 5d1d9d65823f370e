import CKernels
import Support

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
/// that convolution's im2col/col2im, per chunk of n images (16; `ConvolutionThreads`), Q = S*S input
/// positions an image, N = n*Q:
///
///     xT [C, N]         = x in channel-major order
///     columns [R, N]    = W^T [R, C] · xT
///     y                 = activation(b + col2im(columns))   bias and activation as each row is stored
///
/// Backward, per chunk:
///
///     dpre              = dy ⊙ f'(pre)                    ReLU: [y > 0]; in place in dy
///     db [F]           += Σ over images and positions of dpre
///     dcolumns [R, N]   = im2col(dpre)                   (into `columns`)
///     xT [C, N]         = x in channel-major order        (made again rather than kept)
///     dW [C, R]        += xT · dcolumns^T
///     dx              (+)= W · dcolumns                  stored in NCHW order by the product (through
///                                                        `xT` when added to dx); skipped when dx is nil.
///                                                        With one output channel (3x3, stride 2, padding 1)
///                                                        it is the direct kernel of conv_direct.h on dpre
///
/// Each chunk writes its dW and db in its own place (`ConvolutionThreads.backward`); the chunks' are added
/// up in chunk order at the end.
///
/// No BLAS: the register-blocked C kernels on chunks held in L2 (see `Conv2D` for why).
/// Per thread: xT C*N + columns R*N floats (`scratchPerThread`); per chunk: dW C*R + db F
/// (`gradientSumsPerChunk`).
///
/// Inference (`inferenceForward`): no BLAS, on the calling thread: chunks of 16 images as in training,
/// then the images left over one by one, `lx_conv_gemm` vectorised along the longer of R and Q: for
/// R >= Q the rows [Q, R] = x^T W (no copy of W needed, W's rows are contiguous along R), otherwise the
/// columns [R, Q] = W^T x; then col2im, bias and activation.
public final class ConvTranspose2D {
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
    /// Whether dx takes the direct kernel of conv_direct.h: with one output channel, a 3x3 window,
    /// stride 2 and padding 1 (the conv VAE's last layer), dx is the one-plane convolution of the
    /// gradient by W [C, 1, 3, 3], a K = 9 product better not unfolded.
    let takesOnePlaneKernel: Bool

    /// O = (S - 1) stride - 2 padding + k + outputPadding: the output side for an input side S.
    public static func outputSide(inputSide: Int, kernelSize: Int, stride: Int, padding: Int, outputPadding: Int) -> Int {
        (inputSide - 1) * stride - 2 * padding + kernelSize + outputPadding
    }

    public init(name: String, inputChannels: Int, outputChannels: Int, inputSide: Int, kernelSize: Int,
                stride: Int = 1, padding: Int = 0, outputPadding: Int = 0, activation: Activation) {
        precondition(inputChannels > 0 && outputChannels > 0 && inputSide > 0 && kernelSize > 0 && stride > 0,
                     "channels, sides, kernel size and stride must be positive")
        precondition(padding >= 0 && outputPadding >= 0 && outputPadding < stride,
                     "padding must be non-negative and output padding smaller than the stride (as in PyTorch)")
        let side = Self.outputSide(inputSide: inputSide, kernelSize: kernelSize, stride: stride, padding: padding,
                                   outputPadding: outputPadding)
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
        takesOnePlaneKernel = Conv2D.isOnePlaneWindow(channels: outputChannels, kernelSize: kernelSize, stride: stride,
                                                      padding: padding, side: side)
            && Conv2D.outputSide(inputSide: side, kernelSize: kernelSize, stride: stride, padding: padding) == inputSide
        weight = Parameter(name: name + ".weight", shape: [inputChannels, outputChannels, kernelSize, kernelSize])
        bias = Parameter(name: name + ".bias", shape: [outputChannels])
    }

    public var parameters: [Parameter] { [weight, bias] }

    /// PyTorch's default: W and b uniform in ±1/sqrt(fan_in), where PyTorch takes fan_in from the
    /// weight's dimension 1, here F*k*k (Kaiming-uniform with a = sqrt(5)).
    public func initialize(using generator: inout SeededGenerator) {
        Parameter.initializeUniform(parameters, fanIn: tapCount, using: &generator)
    }

    // MARK: Training

    /// Floats of workspace each thread needs, whatever the batch size: xT C*N + columns R*N,
    /// N = 16 images' input positions.
    public var scratchPerThread: Int {
        (inputChannels + tapCount) * ConvolutionThreads.imagesPerChunk * inputPlane
    }

    /// A workspace for passes spread over `threads` threads (a compute pool's `threadCount`).
    public func makeWorkspace(threads: Int) -> LayerWorkspace {
        LayerWorkspace(threads: threads, floatsPerThread: scratchPerThread)
    }

    /// y = activation(b + transposed conv(x)) over the batch, each thread working through its images
    /// 16 at a time: a transposition, one product, col2im, bias and activation.
    public func forward(_ x: Matrix, into y: Matrix, workspace: LayerWorkspace, pool: ComputePool) {
        precondition(x.columns == inputSize && y.columns == outputSize, "conv-transpose2d: input or output width does not match")
        precondition(workspace.floatsPerThread >= scratchPerThread, "conv-transpose2d: workspace slots too small for this layer")
        ConvolutionThreads.forward(chain: [self], x, outputs: { _ in y }, workspace: workspace, pool: pool)
    }

    /// `count` images (at most 16) forward with one thread's training scratch (`scratchPerThread`
    /// floats): the step of every forward pass (`ConvolutionThreads.forward(chain:...)`).
    func forwardChunk(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let (inputT, columns) = buffers(scratch)
        forwardChunk(x, count: count, into: y, inputT: inputT, columns: columns)
    }

    /// `count` images (at most 16) forward: xT [C, N], columns [R, N] = W^T xT, then col2im with the bias
    /// and activation in the same pass.
    private func forwardChunk(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>,
                              inputT: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>) {
        let n = count * inputPlane
        lx_to_channel_major(x, inputT, count, inputChannels, inputPlane)
        lx_conv_gemm(tapCount, n, inputChannels, weight.value.storage, 1, tapCount, inputT, n, nil, 0, columns, n)
        lx_col2im_bias_activation(geometry, columns, n, 1, count, y, bias.value.storage, activation.code)
    }

    /// Backward pass, with the conventions of `Conv2D.backward`: dy turned into dL/d(pre-activation) in place, weight and
    /// bias gradients overwritten, dx skipped when nil or added to with `accumulateInputGradient`.
    /// `input` and `output` must be the forward pass's.
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                         accumulateInputGradient: Bool = false, workspace: LayerWorkspace, pool: ComputePool) {
        let batch = x.rows
        precondition(y.rows == batch && dy.rows == batch && dy.columns == outputSize, "conv-transpose2d: gradient shape does not match")
        precondition(dx == nil || dx!.columns == inputSize, "conv-transpose2d: input gradient width does not match")
        precondition(workspace.floatsPerThread >= scratchPerThread, "conv-transpose2d: workspace slots too small for this layer")
        ConvolutionThreads.backward(chain: [self], input: x, outputs: { _ in y }, gradients: { _ in dy }, inputGradient: dx,
                                    accumulateInputGradient: accumulateInputGradient, workspace: workspace, pool: pool)
    }

    /// Images `first ..< first + count` (at most 16) of `backward`: dpre in place in dy, their dW and db
    /// written to `sums` (`gradientSumsPerChunk` floats), their dx written (or added).
    func backwardChunk(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                       accumulateInputGradient: Bool, first: Int, count: Int, scratch: UnsafeMutablePointer<Float>,
                       sums: UnsafeMutablePointer<Float>) {
        let (inputT, columns) = buffers(scratch)
        let (weightGradient, biasGradient) = (sums, sums + inputChannels * tapCount)
        let n = count * inputPlane
        let gradient = dy.storage + first * outputSize
        let mask = activation.prepareGradient(gradient, output: y.storage + first * outputSize, count: count * outputSize)
        lx_channel_gradient(gradient, mask, biasGradient, nil,
                            count, outputChannels, outputSide * outputSide, 0)
        lx_im2col(geometry, gradient, count, columns, n, 1)
        lx_to_channel_major(x.storage + first * inputSize, inputT, count, inputChannels, inputPlane)
        lx_conv_dot(inputT, columns, weightGradient, inputChannels, n, tapCount, 0)
        guard let inputGradient = dx?.storage else { return }
        if takesOnePlaneKernel && !accumulateInputGradient {   // dx = conv(dpre) straight from the gradient's plane
            lx_conv3x3s2_one_plane(gradient, count, outputSide, weight.value.storage, inputChannels, nil, 0,
                                   inputGradient + first * inputSize)
        } else if accumulateInputGradient {
            lx_conv_gemm(inputChannels, n, tapCount, weight.value.storage, tapCount, 1, columns, n, nil, 0, inputT, n)
            lx_from_channel_major(inputT, inputGradient + first * inputSize, count, inputChannels, inputPlane, nil, 0, 1)
        } else {   // stored straight in NCHW order by the product
            lx_conv_gemm_planes(inputChannels, n, tapCount, weight.value.storage, tapCount, 1, columns, n, nil, 0,
                                inputGradient + first * inputSize, inputPlane, inputT)
        }
    }

    /// One thread's slot: xT [C, N], columns [R, N].
    private func buffers(_ slot: UnsafeMutablePointer<Float>) -> (inputT: UnsafeMutablePointer<Float>,
                                                                  columns: UnsafeMutablePointer<Float>) {
        (slot, slot + inputChannels * ConvolutionThreads.imagesPerChunk * inputPlane)
    }

    // MARK: Inference

    /// Floats of scratch `inferenceForward` needs, whatever the number of images: a 16-image chunk's
    /// xT and columns, (C + R) * 16 Q (the larger of that and one image's R * Q).
    public var inferenceScratchCount: Int {
        max((inputChannels + tapCount) * ConvolutionThreads.imagesPerChunk * inputPlane, tapCount * inputPlane)
    }

    /// The forward pass without BLAS and without allocating, on the calling thread, for the explorer's
    /// UI thread (OpenBLAS's threads may be busy training): x `[count, C*S*S]` -> y `[count, F*O*O]`,
    /// with `scratch` holding `inferenceScratchCount` floats. Whole chunks of 16 images go as in training
    /// (columns = W^T xT over 16 images' positions, whole vectors); the images left over go one by one,
    /// vectorised along the longer of R and Q. It only reads the weights, so several threads may run it
    /// at once on one layer, each with its own scratch.
    public func inferenceForward(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>,
                                 scratch: UnsafeMutablePointer<Float>) {
        let chunk = ConvolutionThreads.imagesPerChunk
        var image = 0
        while count - image >= chunk {
            forwardChunk(x + image * inputSize, count: chunk, into: y + image * outputSize,
                         inputT: scratch, columns: scratch + inputChannels * chunk * inputPlane)
            image += chunk
        }
        let w = weight.value.storage
        for image in image ..< count {
            let input = x + image * inputSize, output = y + image * outputSize
            if tapCount >= inputPlane {
                // rows [Q, R] = x^T [Q, C] · W [C, R]; element (r, q) of the unfolded matrix is rows[q*R + r].
                lx_conv_gemm(inputPlane, tapCount, inputChannels, input, 1, inputPlane, w, tapCount,
                              nil, 0, scratch, tapCount)
                lx_col2im_bias_activation(geometry, scratch, 1, tapCount, 1, output, bias.value.storage, activation.code)
            } else {
                // columns [R, Q] = W^T [R, C] · x [C, Q].
                lx_conv_gemm(tapCount, inputPlane, inputChannels, w, 1, tapCount, input, inputPlane,
                              nil, 0, scratch, inputPlane)
                lx_col2im_bias_activation(geometry, scratch, inputPlane, 1, 1, output, bias.value.storage,
                                          activation.code)
            }
        }
    }
}
