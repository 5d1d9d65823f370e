/// The shape of a VAE: what a weight file must match, and all that is needed to rebuild one.
public struct VAEArchitecture: Codable, Sendable, Equatable, CustomStringConvertible {
    /// "mlp": 784 -> hidden ReLU -> (mu, logvar) ; latent -> hidden ReLU -> 784 logits.
    public var kind: String
    public var inputSize: Int
    public var hiddenSize: Int
    public var latentDim: Int

    public init(kind: String = "mlp", inputSize: Int = ImageSet.pixelCount, hiddenSize: Int = 512, latentDim: Int = 2) {
        self.kind = kind
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.latentDim = latentDim
    }

    public var description: String {
        "\(kind) \(inputSize)-\(hiddenSize)-\(latentDim)-\(hiddenSize)-\(inputSize)"
    }
}
