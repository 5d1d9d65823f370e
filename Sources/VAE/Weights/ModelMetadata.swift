import Foundation

/// What a weight file says about its model, stored as safetensors `__metadata__` strings.
public struct ModelMetadata: Sendable, Equatable {
    public var architecture: VAEArchitecture
    /// The data set it was trained on, e.g. "emnist-letters (idx)" or "synthetic-letters".
    public var dataset: String = "untrained"
    /// Class names it saw, in label order (e.g. a...z).
    public var classes: [String] = []
    public var epochs: Int = 0
    /// Test negative ELBO per image in nats, one z sample per image (nil: not measured).
    public var testLoss: LossParts?
    public var trainedAt: String?

    public init(architecture: VAEArchitecture, dataset: String = "untrained", classes: [String] = [],
                epochs: Int = 0, testLoss: LossParts? = nil, trainedAt: String? = nil) {
        self.architecture = architecture
        self.dataset = dataset
        self.classes = classes
        self.epochs = epochs
        self.testLoss = testLoss
        self.trainedAt = trainedAt
    }

    static let formatName = "latent-explorer-vae"

    var strings: [String: String] {
        var out: [String: String] = [
            "format": Self.formatName,
            "format_version": "1",
            "architecture": architecture.kind,
            "input_size": String(architecture.inputSize),
            "hidden_size": String(architecture.hiddenSize),
            "latent_dim": String(architecture.latentDim),
            "dataset": dataset,
            "classes": Self.encodeList(classes),
            "epochs": String(epochs),
        ]
        if let testLoss {
            out["test_neg_elbo"] = String(format: "%.4f", testLoss.total)
            out["test_reconstruction"] = String(format: "%.4f", testLoss.reconstruction)
            out["test_kl"] = String(format: "%.4f", testLoss.kl)
        }
        if let trainedAt { out["trained_at"] = trainedAt }
        return out
    }

    /// Reads metadata back; the architecture is taken from the tensors' shapes, which cannot lie.
    init(strings: [String: String], architecture: VAEArchitecture) {
        self.architecture = architecture
        dataset = strings["dataset"] ?? "unknown"
        classes = strings["classes"].map(Self.decodeList) ?? []
        epochs = strings["epochs"].flatMap { Int($0) } ?? 0
        if let r = strings["test_reconstruction"].flatMap(Double.init), let k = strings["test_kl"].flatMap(Double.init) {
            testLoss = LossParts(reconstruction: r, kl: k)
        }
        trainedAt = strings["trained_at"]
    }

    /// Class names as a JSON array: Fashion-MNIST's contain spaces and slashes.
    private static func encodeList(_ list: [String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: list), let s = String(data: data, encoding: .utf8) else { return "[]" }
        return s
    }

    private static func decodeList(_ text: String) -> [String] {
        guard let data = text.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [String] else { return [] }
        return list
    }
}
