import CKernels
import LetterData
import Support

/// The convolutional VAE of the PyTorch reference (`ConvVAE` in python/latent_explorer_torch), for S x S images (S = 28), channels
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
public final class ConvNetwork: VAEArchitecture {
    public static let name = "conv"
    public static let summary = "two stride-2 convolutions and a dense layer each way (square images, side divisible by 4)"
    /// H, the dense layer after the convolutions.
    public static let hiddenSize = ArchitectureSetting(key: ArchitectureSetting.hiddenSizeKey, help: "width of the dense layer after the convolutions",
                                                       of: name)
    /// c1 and c2, the output channels of the two convolutions.
    public static let channels = ArchitectureSetting(key: "channels", help: "output channels of the two convolutions",
                                                     of: name)
    public static let settings = [hiddenSize, channels]
    public static let bench = BenchEntry(keyPrefix: "conv_", images: 20_000, hasTorchReference: true)

    public let configuration: ModelConfiguration
    let conv1: Conv2D
    let conv2: Conv2D
    let encoderHidden: Dense
    let heads: GaussianHeads
    let decoderHidden: Dense
    let decoderExpand: Dense
    let deconv1: ConvTranspose2D
    let deconv2: ConvTranspose2D

    /// The reference's kernel, stride and padding for every convolution, and the transposed ones'
    /// output padding (which makes each double its input's side).
    static let (kernel, stride, padding, outputPadding) = (3, 2, 1, 1)
    /// How many times the encoder's convolutions shrink the side (stride², two of them).
    static let shrink = stride * stride

    public init(configuration: ModelConfiguration) {
        self.configuration = configuration
        let table = Self.layerTable(for: configuration)
        conv1 = table.convolution("encoder.conv1")
        conv2 = table.convolution("encoder.conv2")
        encoderHidden = table.dense("encoder.hidden")
        heads = table.gaussianHeads()
        decoderHidden = table.dense("decoder.hidden")
        decoderExpand = table.dense("decoder.expand")
        deconv1 = table.transposedConvolution("decoder.deconv1")
        deconv2 = table.transposedConvolution("decoder.deconv2")
        precondition(deconv2.outputSize == configuration.inputSize, "the decoder must give back the image size")
    }

    /// Each layer's input sizes come from the previous layer's output, so S/2 and S/4 are never written.
    public static func layerTable(for c: ModelConfiguration) -> LayerTable {
        let side = c.imageSide ?? 0
        let (c1, c2) = (c[channels][0], c[channels][1])
        let (h, l) = (c.value(of: hiddenSize), c.latentDim)
        let (k, s, p, op) = (kernel, stride, padding, outputPadding)
        let conv1 = LayerSpec("encoder.conv1", .convolution(inputChannels: 1, outputChannels: c1, inputSide: side,
                                                            kernelSize: k, stride: s, padding: p), activation: .relu)
        let conv2 = LayerSpec("encoder.conv2", .convolution(inputChannels: c1, outputChannels: c2, inputSide: conv1.outputSide,
                                                            kernelSize: k, stride: s, padding: p), activation: .relu)
        let flat = conv2.outputSize
        let deconv1 = LayerSpec("decoder.deconv1", .transposedConvolution(inputChannels: c2, outputChannels: c1, inputSide: conv2.outputSide,
                                                                          kernelSize: k, stride: s, padding: p, outputPadding: op),
                                activation: .relu)
        let deconv2 = LayerSpec("decoder.deconv2", .transposedConvolution(inputChannels: c1, outputChannels: 1, inputSide: deconv1.outputSide,
                                                                          kernelSize: k, stride: s, padding: p, outputPadding: op),
                                activation: .identity)
        return LayerTable([conv1, conv2, .dense("encoder.hidden", flat, h, .relu)]
                          + LayerTable.gaussianHeads(hiddenSize: h, latentDim: l)
                          + [.dense("decoder.hidden", l, h, .relu), .dense("decoder.expand", h, flat, .relu), deconv1, deconv2])
    }

    /// Two stride-2 convolutions halve the side twice, and the transposed ones double it back.
    public static func validate(_ c: ModelConfiguration) throws {
        guard let side = c.imageSide, side % shrink == 0 else {
            throw ModelError.invalidConfiguration("the conv VAE needs square images with a side divisible by 4, not \(c.inputSize) pixels")
        }
    }

    public static func describe(_ c: ModelConfiguration) -> String {
        let side = c.imageSide ?? 0
        return "conv \(side)x\(side) c\(ArchitectureSetting.format(c[channels]).replacingOccurrences(of: ",", with: "-"))-\(c.value(of: hiddenSize))-\(c.latentDim)"
    }

    public var parameters: [Parameter] {
        [conv1.parameters, conv2.parameters, encoderHidden.parameters, heads.mean.parameters,
         heads.logVariance.parameters, decoderHidden.parameters, decoderExpand.parameters,
         deconv1.parameters, deconv2.parameters].flatMap { $0 }
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

    /// Sizes from the tensor shapes: conv1 `[c1, 1, 3, 3]`, conv2 `[c2, c1, 3, 3]`, encoder.hidden
    /// `[H, c2 * Q²]` with Q the side after the two convolutions, the mean head `[L, H]`; the image side
    /// is the one whose table gives that Q.
    public static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration? {
        guard let conv1 = shapes["encoder.conv1.weight"], conv1.count == 4,
              let conv2 = shapes["encoder.conv2.weight"], conv2.count == 4,
              let hidden = shapes["encoder.hidden.weight"], hidden.count == 2,
              let mean = shapes["encoder.mean.weight"], mean.count == 2,
              conv2[0] > 0, hidden[1] % conv2[0] == 0 else { return nil }
        let quarter = Int(Double(hidden[1] / conv2[0]).squareRoot().rounded())
        guard quarter * quarter * conv2[0] == hidden[1] else { return nil }
        let side = quarter * shrink
        return .conv(inputSize: side * side, hiddenSize: hidden[0], latentDim: mean[0], channels: [conv1[0], conv2[0]])
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
            (hidden, hiddenGradient) = (m(n.encoderHidden.outputSize), m(n.encoderHidden.outputSize))
            (decoderHidden, decoderHiddenGradient) = (m(n.decoderHidden.outputSize), m(n.decoderHidden.outputSize))
            (expanded, expandedGradient) = (m(n.decoderExpand.outputSize), m(n.decoderExpand.outputSize))
            (deconv1Out, deconv1Gradient) = (m(n.deconv1.outputSize), m(n.deconv1.outputSize))
            let scratch = [n.conv1.scratchPerThread, n.conv2.scratchPerThread, n.deconv1.scratchPerThread, n.deconv2.scratchPerThread]
            workspace = LayerWorkspace(threads: pool.threadCount, floatsPerThread: scratch.max()!)
        }

        func encode(_ x: Matrix, classes: Matrix?, mean: Matrix, logVariance: Matrix) {
            precondition(classes == nil, "an unconditional network takes no classes")
            network.conv1.forward(x, into: conv1Out, workspace: workspace, pool: pool)
            network.conv2.forward(conv1Out, into: conv2Out, workspace: workspace, pool: pool)
            network.encoderHidden.forward(conv2Out, into: hidden, pool: pool)
            network.heads.forward(hidden, mean: mean, logVariance: logVariance, pool: pool)
            (input, self.mean, self.logVariance) = (x, mean, logVariance)
        }

        func decode(_ z: Matrix, classes: Matrix?, logits: Matrix) {
            precondition(classes == nil, "an unconditional network takes no classes")
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

/// The conv decoder without BLAS, a few points at a time so that the activations stay in cache. It
/// decodes with its own copy of the decoder's four layers, made when it is: training may change the
/// network's weights while it runs on another thread.
///
/// @unchecked Sendable: its layers are copies made in `init` that nothing writes afterwards (an
/// immutable snapshot); `decode` only reads them, with its own scratch per call.
final class ConvPointDecoder: PointDecoder, @unchecked Sendable {
    private let configuration: ModelConfiguration
    private let decoderHidden: Dense
    private let decoderExpand: Dense
    private let deconv1: ConvTranspose2D
    private let deconv2: ConvTranspose2D
    /// Points decoded together: their activations (about 40 KB each at 28x28) stay in L2.
    static let chunk = 8

    init(network: ConvNetwork) {
        configuration = network.configuration
        let table = ConvNetwork.layerTable(for: configuration)
        decoderHidden = table.dense("decoder.hidden")
        decoderExpand = table.dense("decoder.expand")
        deconv1 = table.transposedConvolution("decoder.deconv1")
        deconv2 = table.transposedConvolution("decoder.deconv2")
        let copies = decoderHidden.parameters + decoderExpand.parameters + deconv1.parameters + deconv2.parameters
        Parameter.copyValues(from: network.decoderHidden.parameters + network.decoderExpand.parameters
                                 + network.deconv1.parameters + network.deconv2.parameters, to: copies)
    }

    func decode(_ points: UnsafePointer<Float>, classes: UnsafePointer<Int32>?, count: Int,
                into pixels: UnsafeMutablePointer<Float>) {
        precondition(classes == nil, "an unconditional decoder takes no classes")
        let n = self
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

extension ModelConfiguration {
    /// A conv configuration of square images of `inputSize` pixels; nil sizes take the defaults.
    public static func conv(inputSize: Int = ImageSet.pixelCount, hiddenSize: Int? = nil, latentDim: Int = 2,
                            channels: [Int]? = nil) -> ModelConfiguration {
        var settings: [String: [Int]] = [:]
        if let hiddenSize { settings[ConvNetwork.hiddenSize.key] = [hiddenSize] }
        if let channels { settings[ConvNetwork.channels.key] = channels }
        return ModelConfiguration(ConvNetwork.self, inputSize: inputSize, latentDim: latentDim, settings: settings)
    }
}
