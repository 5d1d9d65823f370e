import CKernels
import Support

/// A 2-D convolution over square images, PyTorch's `nn.Conv2d` (no dilation, no groups), with
/// its bias and activation fused into the product.
///
/// Shapes, with B images, C = inputChannels, F = outputChannels, S = inputSide, k = kernelSize and
/// O = outputSide = (S + 2 padding - k) / stride + 1 (rounded down):
///
///     x [B, C*S*S]      each row one image in NCHW order (channel, row, column)
///     W [F, C, k, k]    PyTorch's layout, stored as the matrix [F, K] with K = C*k*k
///     b [F]
///     y [B, F*O*O]      NCHW, like x; `y.view(B, F, O, O)` in PyTorch
///
/// Training, per chunk of n images (16; `ConvolutionThreads`), P = O*O positions an image, N = n*P:
///
///     columns [K, N]   = im2col(x)                       columns[(c,kh,kw), (b,oy,ox)] = x[b, c, oy*stride-padding+kh, ox*stride-padding+kw]
///     y [n, F, P]      = activation(W [F, K] · columns [K, N] + b)   the product stores each column
///                                                        straight into its image's NCHW planes
///
/// except with one input plane, a 3x3 window, stride 2 and padding 1 (the conv VAE's first layer), where
/// the direct kernel of conv_direct.h makes y from x with the same sums and no unfolded copy.
///
/// Backward, per chunk (the unfolded input is made again rather than kept: 16 images' worth stays in
/// the L2 cache, a whole batch's would not):
///
///     dpre             = dy ⊙ f'(pre)                    ReLU: [y > 0]; in place in dy (identity leaves dy)
///     db [F]          += Σ over images and positions of dpre
///     dpreT [F, N]     = dpre in channel-major order     (into `product`)
///     columns [K, N]   = im2col(x)
///     dW [F, K]       += dpreT · columns^T
///     dcolumns [K, N]  = W^T · dpreT                     (over `columns`); skipped when dx is nil
///     dx              (+)= col2im(dcolumns)
///
/// Each chunk writes its dW and db in its own place (`ConvolutionThreads.backward`), and the chunks'
/// are added up in chunk order at the end, so the weight and bias gradients are overwritten with the batch's.
///
/// No BLAS: the products are the register-blocked C kernels of conv_gemm.h (`lx_conv_gemm`, `lx_conv_dot`:
/// blocks sized for the CPU's vector registers, A packed into panels on AVX2).
/// Per thread: columns K*N + product F*N floats (`scratchPerThread`); per chunk: dW F*K + db F
/// (`gradientSumsPerChunk`).
///
/// Why chunks of 16 images and not one sgemm over the batch: a chunk's columns stay in the core's L2
/// cache, where the whole batch's (7 MB at 28x28) would go through memory, and OpenBLAS is slow on the
/// thin products of a first layer (K = 9). The per-layer measurements are in docs/speed.md.
///
/// Inference (`inferenceForward`): no BLAS, on the calling thread: chunks of 16 images as in training,
/// then the images left over one by one: im2col into a [K, P] scratch, then `lx_conv_gemm` writes
/// y = activation(W · columns + b) straight in NCHW order.
public final class Conv2D {
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
    /// Whether the forward pass takes the direct kernel of conv_direct.h instead of unfolding and
    /// multiplying: one input channel, a 3x3 window moved by 2, padding 1 (the conv VAE's first layer,
    /// whose K = 9 product spends its time storing, not multiplying).
    let takesOnePlaneKernel: Bool

    /// O = (S + 2 padding - k) / stride + 1, rounded down: the output side for an input side S.
    public static func outputSide(inputSide: Int, kernelSize: Int, stride: Int, padding: Int) -> Int {
        (inputSide + 2 * padding - kernelSize) / stride + 1
    }

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
        outputSide = Self.outputSide(inputSide: inputSide, kernelSize: kernelSize, stride: stride, padding: padding)
        patchSize = inputChannels * kernelSize * kernelSize
        outputPlane = outputSide * outputSide
        geometry = lx_conv_geometry(channels: inputChannels, in_side: inputSide, out_side: outputSide,
                                    kernel: kernelSize, stride: stride, padding: padding)
        takesOnePlaneKernel = Self.isOnePlaneWindow(channels: inputChannels, kernelSize: kernelSize, stride: stride, padding: padding,
                                                    side: inputSide)
        weight = Parameter(name: name + ".weight", shape: [outputChannels, inputChannels, kernelSize, kernelSize])
        bias = Parameter(name: name + ".bias", shape: [outputChannels])
    }

    /// Whether a convolution of `channels` input planes of `side` pixels is the one conv_direct.h computes:
    /// one plane, 3x3, stride 2, padding 1.
    static func isOnePlaneWindow(channels: Int, kernelSize: Int, stride: Int, padding: Int, side: Int) -> Bool {
        channels == 1 && kernelSize == 3 && stride == 2 && padding == 1 && lx_conv3x3s2_one_plane_fits(side) != 0
    }

    public var parameters: [Parameter] { [weight, bias] }

    /// PyTorch's default: W and b uniform in ±1/sqrt(fan_in), fan_in = C*k*k (Kaiming-uniform with a = sqrt(5)).
    public func initialize(using generator: inout SeededGenerator) {
        Parameter.initializeUniform(parameters, fanIn: patchSize, using: &generator)
    }

    // MARK: Training

    /// Floats of workspace each thread needs, whatever the batch size: columns K*N + product F*N,
    /// N = 16 images' positions.
    public var scratchPerThread: Int {
        (patchSize + outputChannels) * ConvolutionThreads.imagesPerChunk * outputPlane
    }

    /// A workspace for passes spread over `threads` threads (a compute pool's `threadCount`).
    public func makeWorkspace(threads: Int) -> LayerWorkspace {
        LayerWorkspace(threads: threads, floatsPerThread: scratchPerThread)
    }

    /// y = activation(conv(x) + b) over the batch, each thread unfolding and multiplying its images
    /// 16 at a time.
    public func forward(_ x: Matrix, into y: Matrix, workspace: LayerWorkspace, pool: ComputePool) {
        precondition(x.columns == inputSize && y.columns == outputSize, "conv2d: input or output width does not match")
        precondition(workspace.floatsPerThread >= scratchPerThread, "conv2d: workspace slots too small for this layer")
        ConvolutionThreads.forward(chain: [self], x, outputs: { _ in y }, workspace: workspace, pool: pool)
    }

    /// `count` images (at most 16) forward with one thread's training scratch (`scratchPerThread`
    /// floats): the step of every forward pass (`ConvolutionThreads.forward(chain:...)`).
    func forwardChunk(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let (columns, product) = buffers(scratch)
        forwardChunk(x, count: count, into: y, columns: columns, product: product)
    }

    /// `count` images (at most 16) forward: columns [K, N], then y = activation(W columns + b) stored
    /// in NCHW order by the product itself (`product` is scratch for CPUs without that path).
    private func forwardChunk(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>,
                              columns: UnsafeMutablePointer<Float>, product: UnsafeMutablePointer<Float>) {
        if takesOnePlaneKernel {
            return lx_conv3x3s2_one_plane(x, count, inputSide, weight.value.storage, outputChannels, bias.value.storage,
                                          activation.code, y)
        }
        let n = count * outputPlane
        lx_im2col(geometry, x, count, columns, n, 1)
        lx_conv_gemm_planes(outputChannels, n, patchSize, weight.value.storage, patchSize, 1, columns, n,
                            bias.value.storage, activation.code, y, outputPlane, product)
    }

    /// Backward pass. `outputGradient` holds dL/dy on entry; it is turned in place into
    /// dL/d(pre-activation) (ReLU masks it, LeakyReLU scales its negative side). The weight and bias
    /// gradients are overwritten (one backward per step).
    /// `inputGradient` nil skips dx (the first layer); with `accumulateInputGradient`, dx is added to
    /// what it holds. `input` and `output` must be the forward pass's.
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                         accumulateInputGradient: Bool = false, workspace: LayerWorkspace, pool: ComputePool) {
        let batch = x.rows
        precondition(y.rows == batch && dy.rows == batch && dy.columns == outputSize, "conv2d: gradient shape does not match")
        precondition(dx == nil || dx!.columns == inputSize, "conv2d: input gradient width does not match")
        precondition(workspace.floatsPerThread >= scratchPerThread, "conv2d: workspace slots too small for this layer")
        ConvolutionThreads.backward(chain: [self], input: x, outputs: { _ in y }, gradients: { _ in dy }, inputGradient: dx,
                                    accumulateInputGradient: accumulateInputGradient, workspace: workspace, pool: pool)
    }

    /// Images `first ..< first + count` (at most 16) of `backward`: dpre in place in dy, their dW and db
    /// written to `sums` (`gradientSumsPerChunk` floats), their dx written (or added).
    func backwardChunk(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                       accumulateInputGradient: Bool, first: Int, count: Int, scratch: UnsafeMutablePointer<Float>,
                       sums: UnsafeMutablePointer<Float>) {
        let (columns, gradientT) = buffers(scratch)
        let (weightGradient, biasGradient) = (sums, sums + outputChannels * patchSize)
        let n = count * outputPlane
        let mask = activation.prepareGradient(dy.storage + first * outputSize, output: y.storage + first * outputSize,
                                              count: count * outputSize)
        lx_channel_gradient(dy.storage + first * outputSize, mask, biasGradient,
                            gradientT, count, outputChannels, outputPlane, 0)
        lx_im2col(geometry, x.storage + first * inputSize, count, columns, n, 1)
        lx_conv_dot(gradientT, columns, weightGradient, outputChannels, n, patchSize, 0)
        guard let inputGradient = dx?.storage else { return }
        lx_conv_gemm(patchSize, n, outputChannels, weight.value.storage, 1, patchSize, gradientT, n, nil, 0, columns, n)
        lx_col2im(geometry, columns, n, 1, count, inputGradient + first * inputSize, accumulateInputGradient ? 1 : 0)
    }

    /// One thread's slot: columns [K, N], product [F, N].
    private func buffers(_ slot: UnsafeMutablePointer<Float>) -> (columns: UnsafeMutablePointer<Float>,
                                                                  product: UnsafeMutablePointer<Float>) {
        (slot, slot + patchSize * ConvolutionThreads.imagesPerChunk * outputPlane)
    }

    // MARK: Inference

    /// Floats of scratch `inferenceForward` needs, whatever the number of images: a 16-image chunk's
    /// columns and product, (K + F) * 16 P.
    public var inferenceScratchCount: Int { (patchSize + outputChannels) * ConvolutionThreads.imagesPerChunk * outputPlane }

    /// The forward pass without BLAS and without allocating, on the calling thread, for the explorer's
    /// UI thread (OpenBLAS's threads may be busy training): x `[count, C*S*S]` -> y `[count, F*O*O]`,
    /// with `scratch` holding `inferenceScratchCount` floats. Whole chunks of 16 images go as in
    /// training; the images left over go one by one, `lx_conv_gemm` writing y = activation(W columns
    /// + b) straight in NCHW order. It only reads the weights, so several threads may run it at once on
    /// one layer, each with its own scratch.
    public func inferenceForward(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>,
                                 scratch: UnsafeMutablePointer<Float>) {
        let chunk = ConvolutionThreads.imagesPerChunk
        var image = 0
        while count - image >= chunk {
            forwardChunk(x + image * inputSize, count: chunk, into: y + image * outputSize,
                         columns: scratch, product: scratch + patchSize * chunk * outputPlane)
            image += chunk
        }
        if takesOnePlaneKernel, image < count {
            return lx_conv3x3s2_one_plane(x + image * inputSize, count - image, inputSide, weight.value.storage, outputChannels,
                                          bias.value.storage, activation.code, y + image * outputSize)
        }
        for image in image ..< count {
            lx_im2col(geometry, x + image * inputSize, 1, scratch, outputPlane, 1)
            lx_conv_gemm(outputChannels, outputPlane, patchSize, weight.value.storage, patchSize, 1,
                          scratch, outputPlane, bias.value.storage, activation.code,
                          y + image * outputSize, outputPlane)
        }
    }
}
