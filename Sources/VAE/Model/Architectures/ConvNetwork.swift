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
public final class ConvNetwork: SequentialNetwork, VAEArchitecture {
    public static let name = "conv"
    public static let summary = "two stride-2 convolutions and a dense layer each way (square images, side divisible by 4)"
    /// H, the dense layer after the convolutions.
    public static let hiddenSize = ArchitectureSetting(key: ArchitectureSetting.hiddenSizeKey, help: "width of the dense layer after the convolutions",
                                                       of: name)
    /// c1 and c2, the output channels of the two convolutions.
    public static let channels = ArchitectureSetting(key: "channels", help: "output channels of the two convolutions",
                                                     of: name)
    public static let settings = [hiddenSize, channels]

    /// The settings as one value: H and the channels c1, c2.
    public struct Settings: ArchitectureSettings {
        public var hiddenSize: Int
        public var channels: SizePair
        public init(hiddenSize: Int, channels: SizePair) { (self.hiddenSize, self.channels) = (hiddenSize, channels) }
    }
    public static let bench = BenchEntry(keyPrefix: "conv_", images: 20_000, hasTorchReference: true)

    /// The reference's kernel, stride and padding for every convolution, and the transposed ones'
    /// output padding (which makes each double its input's side).
    static let (kernel, stride, padding, outputPadding) = (3, 2, 1, 1)
    /// How many times the encoder's convolutions shrink the side (stride², two of them).
    static let shrink = stride * stride

    public init(configuration: ModelConfiguration) {
        super.init(configuration: configuration, table: Self.layerTable(for: configuration))
    }

    /// Each layer's input sizes come from the previous layer's output, so S/2 and S/4 are never written.
    public static func layerTable(for c: ModelConfiguration) -> LayerTable {
        let side = c.imageSide ?? 0
        let settings = settings(of: c)
        let (c1, c2) = (settings.channels.first, settings.channels.second)
        let (h, l) = (settings.hiddenSize, c.latentDim)
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
        let (side, settings) = (c.imageSide ?? 0, settings(of: c))
        return "conv \(side)x\(side) c\(settings.channels.first)-\(settings.channels.second)-\(settings.hiddenSize)-\(c.latentDim)"
    }

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
