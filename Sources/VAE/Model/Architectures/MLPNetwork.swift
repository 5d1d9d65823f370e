import LetterData
import Support

/// The multilayer-perceptron VAE of pytorch/examples `vae/main.py` (N = 784 pixels, H = 512, L latent):
///
///     encoder: x [N] -> hidden = ReLU(W1 x + b1) [H] -> mean = Wmu hidden + bmu [L], logvar = Wlv hidden + blv [L]
///     decoder: z [L] -> g = ReLU(Wd1 z + bd1) [H] -> logits = Wd2 g + bd2 [N]
///
/// PyTorch module names: `encoder.hidden`, `encoder.mean`, `encoder.logvar`, `decoder.hidden`,
/// `decoder.output`, all `nn.Linear`.
public final class MLPNetwork: SequentialNetwork, VAEArchitecture {
    public static let name = "mlp"
    public static let summary = "784 -> hidden ReLU -> latent and back, as pytorch/examples vae"
    /// H, the width of the hidden layer on each side.
    public static let hiddenSize = ArchitectureSetting(key: ArchitectureSetting.hiddenSizeKey, help: "width of the hidden layer on each side",
                                                       of: name)
    public static let settings = [hiddenSize]

    /// The settings as one value: H.
    public struct Settings: ArchitectureSettings {
        public var hiddenSize: Int
        public init(hiddenSize: Int) { self.hiddenSize = hiddenSize }
    }
    public static let bench = BenchEntry(keyPrefix: "", images: LabelledDataset.emnistLettersCSVSizes.train, hasTorchReference: true)

    public init(configuration: ModelConfiguration) {
        super.init(configuration: configuration, table: Self.layerTable(for: configuration))
    }

    public static func layerTable(for c: ModelConfiguration) -> LayerTable {
        let (n, h, l) = (c.inputSize, settings(of: c).hiddenSize, c.latentDim)
        return LayerTable([.dense("encoder.hidden", n, h, .relu)] + LayerTable.gaussianHeads(hiddenSize: h, latentDim: l)
                          + [.dense("decoder.hidden", l, h, .relu), .dense("decoder.output", h, n, .identity)])
    }

    public static func describe(_ c: ModelConfiguration) -> String {
        let h = settings(of: c).hiddenSize
        return "mlp \(c.inputSize)-\(h)-\(c.latentDim)-\(h)-\(c.inputSize)"
    }

    /// Sizes from the first encoder layer `[H, N]` and the mean head `[L, H]`.
    public static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration? {
        guard let hidden = shapes["encoder.hidden.weight"], hidden.count == 2,
              let mean = shapes["encoder.mean.weight"], mean.count == 2 else { return nil }
        return .mlp(inputSize: hidden[1], hiddenSize: hidden[0], latentDim: mean[0])
    }
}

extension ModelConfiguration {
    /// An MLP configuration; a nil hidden size takes the default.
    public static func mlp(inputSize: Int = ImageSet.pixelCount, hiddenSize: Int? = nil, latentDim: Int = 2,
                           geometry: ImageGeometry? = nil) -> ModelConfiguration {
        ModelConfiguration(MLPNetwork.self, inputSize: inputSize, latentDim: latentDim,
                           settings: hiddenSize.map { [MLPNetwork.hiddenSize.key: [$0]] } ?? [:], geometry: geometry)
    }
}
