import CKernels

/// The convolutional VAE of `../shared/bench/vae_torch.py` (`Conv`), for S x S images (S = 28), channels
/// c1 = 32 and c2 = 64, H = 128 hidden units and L latent dimensions:
///
///     encoder: x [1, S, S] -> conv1 3x3/2 ReLU [c1, S/2, S/2] -> conv2 3x3/2 ReLU [c2, S/4, S/4]
///              -> flatten [c2*S/4*S/4] -> hidden ReLU [H] -> mean [L], logvar [L]
///     decoder: z [L] -> hidden ReLU [H] -> expand ReLU [c2*S/4*S/4] -> view [c2, S/4, S/4]
///              -> deconv1 3x3/2 (output padding 1) ReLU [c1, S/2, S/2] -> deconv2 3x3/2 [1, S, S] logits
///
/// All convolutions have padding 1. PyTorch module names: `encoder.conv1`, `encoder.conv2` (`nn.Conv2d`,
/// weight `[out, in, 3, 3]`), `encoder.hidden`, `encoder.mean`, `encoder.logvar`, `decoder.hidden`,
/// `decoder.expand` (`nn.Linear`), `decoder.deconv1`, `decoder.deconv2` (`nn.ConvTranspose2d`, weight
/// `[in, out, 3, 3]`). Flattening and viewing are in NCHW order, as `torch.flatten(1)` and `.view`.
public final class ConvNetwork: VAENetwork {
    public let configuration: ModelConfiguration
    let conv1: Conv2D
    let conv2: Conv2D
    let encoderHidden: Dense
    let heads: GaussianHeads
    let decoderHidden: Dense
    let decoderExpand: Dense
    let deconv1: ConvTranspose2D
    let deconv2: ConvTranspose2D

    /// The reference's kernel, stride and padding for every convolution.
    static let (kernel, stride, padding) = (3, 2, 1)

    public init(configuration: ModelConfiguration) {
        self.configuration = configuration
        let side = configuration.imageSide ?? 0
        let (c1, c2) = (configuration.channels[0], configuration.channels[1])
        let (h, l) = (configuration.hiddenSize, configuration.latentDim)
        let (k, s, p) = (Self.kernel, Self.stride, Self.padding)
        conv1 = Conv2D(name: "encoder.conv1", inputChannels: 1, outputChannels: c1, inputSide: side,
                       kernelSize: k, stride: s, padding: p, activation: .relu)
        conv2 = Conv2D(name: "encoder.conv2", inputChannels: c1, outputChannels: c2, inputSide: conv1.outputSide,
                       kernelSize: k, stride: s, padding: p, activation: .relu)
        let flat = conv2.outputSize
        encoderHidden = Dense(name: "encoder.hidden", inputSize: flat, outputSize: h, activation: .relu)
        heads = GaussianHeads(hiddenSize: h, latentDim: l)
        decoderHidden = Dense(name: "decoder.hidden", inputSize: l, outputSize: h, activation: .relu)
        decoderExpand = Dense(name: "decoder.expand", inputSize: h, outputSize: flat, activation: .relu)
        deconv1 = ConvTranspose2D(name: "decoder.deconv1", inputChannels: c2, outputChannels: c1, inputSide: conv2.outputSide,
                                  kernelSize: k, stride: s, padding: p, outputPadding: 1, activation: .relu)
        deconv2 = ConvTranspose2D(name: "decoder.deconv2", inputChannels: c1, outputChannels: 1, inputSide: deconv1.outputSide,
                                  kernelSize: k, stride: s, padding: p, outputPadding: 1, activation: .identity)
        precondition(deconv2.outputSize == configuration.inputSize, "the decoder must give back the image size")
    }

    public var parameters: [Parameter] {
        [conv1.parameters, conv2.parameters, encoderHidden.parameters, heads.mean.parameters,
         heads.logVariance.parameters, decoderHidden.parameters, decoderExpand.parameters,
         deconv1.parameters, deconv2.parameters].flatMap { $0 }
    }

    /// A convolution's multiply-adds are its weights times the positions they are applied at; every
    /// layer repeats them for dW and dx backward, but conv1 computes no dx (x is data).
    public var multiplyAddsPerImage: (forward: Int, backward: Int) {
        let convolutions = [conv1.weight.value.count * conv1.outputSide * conv1.outputSide,
                            conv2.weight.value.count * conv2.outputSide * conv2.outputSide,
                            deconv1.weight.value.count * deconv1.inputSide * deconv1.inputSide,
                            deconv2.weight.value.count * deconv2.inputSide * deconv2.inputSide]
        let dense = ([encoderHidden] + heads.layers + [decoderHidden, decoderExpand]).map(\.weight.value.count)
        let forward = (convolutions + dense).reduce(0, +)
        return (forward, 2 * forward - convolutions[0])
    }

    public func initialize(using generator: inout SeededGenerator) {
        conv1.initialize(using: &generator)
        conv2.initialize(using: &generator)
        for layer in [encoderHidden] + heads.layers + [decoderHidden, decoderExpand] {
            layer.initialize(using: &generator)
        }
        deconv1.initialize(using: &generator)
        deconv2.initialize(using: &generator)
    }

    public func makeBatchPass(batchCapacity: Int, pool: ComputePool) -> any NetworkBatchPass {
        BatchPass(network: self, batchCapacity: batchCapacity, pool: pool)
    }

    public func makePointDecoder() -> any PointDecoder { ConvPointDecoder(network: self) }

    public static func parameterShapes(for c: ModelConfiguration) -> [(name: String, shape: [Int])] {
        let side = c.imageSide ?? 0
        let (c1, c2, h, l, k) = (c.channels[0], c.channels[1], c.hiddenSize, c.latentDim, kernel)
        let flat = c2 * (side / 4) * (side / 4)
        let layers: [(String, [Int], Int)] = [
            ("encoder.conv1", [c1, 1, k, k], c1), ("encoder.conv2", [c2, c1, k, k], c2),
            ("encoder.hidden", [h, flat], h), ("encoder.mean", [l, h], l), ("encoder.logvar", [l, h], l),
            ("decoder.hidden", [h, l], h), ("decoder.expand", [flat, h], flat),
            ("decoder.deconv1", [c2, c1, k, k], c1), ("decoder.deconv2", [c1, 1, k, k], 1),
        ]
        return layers.flatMap { [($0.0 + ".weight", $0.1), ($0.0 + ".bias", [$0.2])] }
    }

    /// Sizes from the tensor shapes: conv1 `[c1, 1, 3, 3]`, conv2 `[c2, c1, 3, 3]`, encoder.hidden
    /// `[H, c2*(S/4)²]`, the mean head `[L, H]`.
    public static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration? {
        guard let conv1 = shapes["encoder.conv1.weight"], conv1.count == 4,
              let conv2 = shapes["encoder.conv2.weight"], conv2.count == 4,
              let hidden = shapes["encoder.hidden.weight"], hidden.count == 2,
              let mean = shapes["encoder.mean.weight"], mean.count == 2,
              conv2[0] > 0, hidden[1] % conv2[0] == 0 else { return nil }
        let quarter = Int(Double(hidden[1] / conv2[0]).squareRoot().rounded())
        guard quarter * quarter * conv2[0] == hidden[1] else { return nil }
        return ModelConfiguration(kind: .conv, inputSize: 16 * quarter * quarter, hiddenSize: hidden[0],
                                  latentDim: mean[0], channels: [conv1[0], conv2[0]])
    }

    /// Activations kept between forward and backward, each `[B, ...]` for up to `batchCapacity` rows,
    /// and one scratch workspace the four convolutions share (they keep nothing in it between passes).
    private final class BatchPass: NetworkBatchPass {
        let network: ConvNetwork
        let pool: ComputePool
        var input: Matrix?, mean: Matrix?, logVariance: Matrix?, z: Matrix?, logits: Matrix?   // the caller's
        let conv1Out: Matrix, conv1Gradient: Matrix         // [B, c1*(S/2)²]
        let conv2Out: Matrix, conv2Gradient: Matrix         // [B, c2*(S/4)²]
        let hidden: Matrix, hiddenGradient: Matrix          // [B, H]
        let decoderHidden: Matrix, decoderHiddenGradient: Matrix   // [B, H]
        let expanded: Matrix, expandedGradient: Matrix      // [B, c2*(S/4)²]
        let deconv1Out: Matrix, deconv1Gradient: Matrix     // [B, c1*(S/2)²]
        let workspace: LayerWorkspace

        init(network n: ConvNetwork, batchCapacity b: Int, pool: ComputePool) {
            network = n
            self.pool = pool
            func m(_ columns: Int) -> Matrix { Matrix(rows: b, columns: columns) }
            (conv1Out, conv1Gradient) = (m(n.conv1.outputSize), m(n.conv1.outputSize))
            (conv2Out, conv2Gradient) = (m(n.conv2.outputSize), m(n.conv2.outputSize))
            (hidden, hiddenGradient) = (m(n.configuration.hiddenSize), m(n.configuration.hiddenSize))
            (decoderHidden, decoderHiddenGradient) = (m(n.configuration.hiddenSize), m(n.configuration.hiddenSize))
            (expanded, expandedGradient) = (m(n.decoderExpand.outputSize), m(n.decoderExpand.outputSize))
            (deconv1Out, deconv1Gradient) = (m(n.deconv1.outputSize), m(n.deconv1.outputSize))
            let scratch = [n.conv1.scratchPerThread, n.conv2.scratchPerThread, n.deconv1.scratchPerThread, n.deconv2.scratchPerThread]
            workspace = LayerWorkspace(threads: pool.threadCount, floatsPerThread: scratch.max()!)
        }

        func encode(_ x: Matrix, mean: Matrix, logVariance: Matrix) {
            network.conv1.forward(x, into: conv1Out, workspace: workspace, pool: pool)
            network.conv2.forward(conv1Out, into: conv2Out, workspace: workspace, pool: pool)
            network.encoderHidden.forward(conv2Out, into: hidden, pool: pool)
            network.heads.forward(hidden, mean: mean, logVariance: logVariance, pool: pool)
            (input, self.mean, self.logVariance) = (x, mean, logVariance)
        }

        func decode(_ z: Matrix, logits: Matrix) {
            network.decoderHidden.forward(z, into: decoderHidden, pool: pool)
            network.decoderExpand.forward(decoderHidden, into: expanded, pool: pool)
            network.deconv1.forward(expanded, into: deconv1Out, workspace: workspace, pool: pool)
            network.deconv2.forward(deconv1Out, into: logits, workspace: workspace, pool: pool)
            (self.z, self.logits) = (z, logits)
        }

        func decodeBackward(logitsGradient: Matrix, zGradient: Matrix) {
            guard let z, let logits else { preconditionFailure("decodeBackward before decode") }
            network.deconv2.backward(input: deconv1Out, output: logits, outputGradient: logitsGradient,
                                     inputGradient: deconv1Gradient, workspace: workspace, pool: pool)
            network.deconv1.backward(input: expanded, output: deconv1Out, outputGradient: deconv1Gradient,
                                     inputGradient: expandedGradient, workspace: workspace, pool: pool)
            network.decoderExpand.backward(input: decoderHidden, output: expanded, outputGradient: expandedGradient,
                                           inputGradient: decoderHiddenGradient, pool: pool)
            network.decoderHidden.backward(input: z, output: decoderHidden, outputGradient: decoderHiddenGradient,
                                           inputGradient: zGradient, pool: pool)
        }

        func encodeBackward(meanGradient: Matrix, logVarianceGradient: Matrix) {
            guard let input, let mean, let logVariance else { preconditionFailure("encodeBackward before encode") }
            network.heads.backward(hidden: hidden, mean: mean, logVariance: logVariance, meanGradient: meanGradient,
                                   logVarianceGradient: logVarianceGradient, hiddenGradient: hiddenGradient, pool: pool)
            network.encoderHidden.backward(input: conv2Out, output: hidden, outputGradient: hiddenGradient,
                                           inputGradient: conv2Gradient, pool: pool)
            network.conv2.backward(input: conv1Out, output: conv2Out, outputGradient: conv2Gradient,
                                   inputGradient: conv1Gradient, workspace: workspace, pool: pool)
            network.conv1.backward(input: input, output: conv1Out, outputGradient: conv1Gradient,
                                   inputGradient: nil, workspace: workspace, pool: pool)
        }
    }
}

/// The conv decoder without BLAS, a few points at a time so that the activations stay in cache.
/// Decodes with a private copy of the network's weights as they were when it was made.
///
/// @unchecked Sendable: `network` is a copy made in `init` that nothing writes afterwards (an
/// immutable snapshot); `decode` only reads it, with its own scratch per call.
final class ConvPointDecoder: PointDecoder, @unchecked Sendable {
    private let network: ConvNetwork
    /// Points decoded together: their activations (about 40 KB each at 28x28) stay in L2.
    static let chunk = 8

    init(network: ConvNetwork) {
        let snapshot = ConvNetwork(configuration: network.configuration)
        for (mine, theirs) in zip(network.parameters, snapshot.parameters) { theirs.value.copy(from: mine.value) }
        self.network = snapshot
    }

    func decode(_ points: UnsafePointer<Float>, count: Int, into pixels: UnsafeMutablePointer<Float>) {
        let n = network
        let l = n.configuration.latentDim
        let chunk = min(Self.chunk, count)
        // One allocation per call: hidden [chunk, H], expanded [chunk, c2*(S/4)²], deconv1 [chunk, c1*(S/2)²],
        // then the larger of the two transposed convolutions' scratch.
        let sizes = [n.decoderHidden.outputSize, n.decoderExpand.outputSize, n.deconv1.outputSize].map { $0 * chunk }
        let scratchCount = max(n.deconv1.inferenceScratchCount, n.deconv2.inferenceScratchCount)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: sizes.reduce(0, +) + scratchCount)
        defer { buffer.deallocate() }
        let (hidden, expanded, upsampled) = (buffer, buffer + sizes[0], buffer + sizes[0] + sizes[1])
        let scratch = upsampled + sizes[2]
        for start in stride(from: 0, to: count, by: chunk) {
            let m = min(chunk, count - start)
            n.decoderHidden.inferenceForward(points + start * l, count: m, into: hidden)
            n.decoderExpand.inferenceForward(hidden, count: m, into: expanded)
            n.deconv1.inferenceForward(expanded, count: m, into: upsampled, scratch: scratch)
            let out = pixels + start * n.configuration.inputSize
            n.deconv2.inferenceForward(upsampled, count: m, into: out, scratch: scratch)
            lx_sigmoid(out, out, m * n.configuration.inputSize)
        }
    }
}
