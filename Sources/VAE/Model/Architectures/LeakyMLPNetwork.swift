import LetterData

/// The MLP of `MLPNetwork` with LeakyReLU (negative slope `Activation.leakySlope`, PyTorch's default)
/// in place of ReLU, so that no hidden unit's gradient is ever exactly zero:
///
///     encoder: x [N] -> hidden = LeakyReLU(W1 x + b1) [H] -> mean [L], logvar [L]
///     decoder: z [L] -> g = LeakyReLU(Wd1 z + bd1) [H] -> logits = Wd2 g + bd2 [N]
///
/// Its tensors are the MLP's (`encoder.hidden`, ..., `decoder.output`, all `nn.Linear`), so a file of it
/// is told from an MLP's by its metadata alone: a file without metadata is read as an MLP.
public final class LeakyMLPNetwork: SequentialNetwork, VAEArchitecture {
    public static let name = "leaky-mlp"
    public static let summary = "the mlp with LeakyReLU (slope 0.01) in place of ReLU"
    /// The MLP's hidden width, with its default and range.
    public static let settings = MLPNetwork.settings
    public static let bench = BenchEntry(keyPrefix: "leaky_mlp_", images: 20_000)

    public init(configuration: ModelConfiguration) {
        super.init(configuration: configuration, table: Self.layerTable(for: configuration))
    }

    public static func layerTable(for c: ModelConfiguration) -> LayerTable {
        let (n, h, l) = (c.inputSize, c.value(of: MLPNetwork.hiddenSize), c.latentDim)
        return LayerTable([.dense("encoder.hidden", n, h, .leakyReLU)] + LayerTable.gaussianHeads(hiddenSize: h, latentDim: l)
                          + [.dense("decoder.hidden", l, h, .leakyReLU), .dense("decoder.output", h, n, .identity)])
    }

    public static func describe(_ c: ModelConfiguration) -> String {
        let h = c.value(of: MLPNetwork.hiddenSize)
        return "\(name) \(c.inputSize)-\(h)-\(c.latentDim)-\(h)-\(c.inputSize)"
    }

    /// Never from shapes alone: they are the MLP's.
    public static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration? { nil }
}
