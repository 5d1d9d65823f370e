import LetterData
import Support

/// The MLP VAE with two hidden layers a side (the "bigger model"), for N pixels, widths H1 = 512 and
/// H2 = 256, and L latent dimensions:
///
///     encoder: x [N] -> hidden1 ReLU [H1] -> hidden2 ReLU [H2] -> mean [L], logvar [L]
///     decoder: z [L] -> hidden1 ReLU [H2] -> hidden2 ReLU [H1] -> output [N] logits
///
/// PyTorch module names: `encoder.hidden1`, `encoder.hidden2`, `encoder.mean`, `encoder.logvar`,
/// `decoder.hidden1`, `decoder.hidden2`, `decoder.output`, all `nn.Linear` (`DeepMLPVAE` in
/// python/latent_explorer_torch/models.py).
public final class DeepMLPNetwork: SequentialNetwork, VAEArchitecture {
    public static let name = "deep-mlp"
    public static let summary = "784 -> 512 ReLU -> 256 ReLU -> latent, and back: the MLP with two hidden layers a side"
    /// H1 and H2: the encoder's widths from the image in; the decoder's are the same in reverse.
    public static let hiddenSizes = ArchitectureSetting(key: "hidden_sizes", help: "widths of the two hidden layers, from the image in",
                                                        of: name)
    public static let settings = [hiddenSizes]

    /// The settings as one value: the widths H1 and H2.
    public struct Settings: ArchitectureSettings {
        public var hiddenSizes: SizePair
        public init(hiddenSizes: SizePair) { self.hiddenSizes = hiddenSizes }
    }
    /// Timed on a whole letters epoch like the MLP: 20,000 images took under a second, and such
    /// windows spread by 15 % from scheduling alone, the explorer's pairs by more.
    public static let bench = BenchEntry(keyPrefix: "deep_mlp_", images: LabelledDataset.emnistLettersCSVSizes.train,
                                         hasTorchReference: true)

    public init(configuration: ModelConfiguration) {
        super.init(configuration: configuration, table: Self.layerTable(for: configuration))
    }

    public static func layerTable(for c: ModelConfiguration) -> LayerTable {
        let (n, l) = (c.inputSize, c.latentDim)
        let widths = settings(of: c).hiddenSizes
        let (h1, h2) = (widths.first, widths.second)
        return LayerTable([.dense("encoder.hidden1", n, h1, .relu), .dense("encoder.hidden2", h1, h2, .relu)]
                          + LayerTable.gaussianHeads(hiddenSize: h2, latentDim: l)
                          + [.dense("decoder.hidden1", l, h2, .relu), .dense("decoder.hidden2", h2, h1, .relu),
                             .dense("decoder.output", h1, n, .identity)])
    }

    public static func describe(_ c: ModelConfiguration) -> String {
        let widths = settings(of: c).hiddenSizes
        let (h1, h2) = (widths.first, widths.second)
        return "\(name) \(c.inputSize)-\(h1)-\(h2)-\(c.latentDim)-\(h2)-\(h1)-\(c.inputSize)"
    }

    /// Sizes from `encoder.hidden1` `[H1, N]`, `encoder.hidden2` `[H2, H1]` and the mean head `[L, H2]`.
    public static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration? {
        guard let hidden1 = shapes["encoder.hidden1.weight"], hidden1.count == 2,
              let hidden2 = shapes["encoder.hidden2.weight"], hidden2.count == 2,
              let mean = shapes["encoder.mean.weight"], mean.count == 2 else { return nil }
        return ModelConfiguration(DeepMLPNetwork.self, inputSize: hidden1[1], latentDim: mean[0],
                                  settings: Settings(hiddenSizes: SizePair(hidden1[0], hidden2[0])))
    }
}
