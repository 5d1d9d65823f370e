/// An architecture as the program knows it: a `VAENetwork` that also declares, in its own file, its name,
/// its settings, its layer table and how to recognise its tensors. Everything else (validation, weight
/// files' metadata, the command line's `--arch` and `--setting`, `bench`'s list of models) derives from
/// these declarations and the list in `Architectures.all`.
public protocol VAEArchitecture: VAENetwork, SendableMetatype {
    /// The name on the command line (`--arch mlp`) and in weight files' `architecture` metadata.
    static var name: String { get }
    /// One line for `--arch`'s help, e.g. "784 -> 512 ReLU -> latent, and back (pytorch/examples vae)".
    static var summary: String { get }
    /// The settings a configuration of this architecture holds, each a metadata key.
    static var settings: [ArchitectureSetting] { get }
    /// The same settings as one typed value (`ArchitectureSettings`), what the layer table reads.
    associatedtype Settings: ArchitectureSettings
    /// How `bench` times this architecture.
    static var bench: BenchEntry { get }

    /// The layers of a network of `configuration` in `parameters` order, the encoder's first layer
    /// first: the one statement of its shapes. `configuration` has passed the settings' checks.
    static func layerTable(for configuration: ModelConfiguration) -> LayerTable

    /// Throws `ModelError.invalidConfiguration` when the architecture cannot take `configuration`'s
    /// images (e.g. the conv VAE needs square ones); the settings' ranges are already checked.
    static func validate(_ configuration: ModelConfiguration) throws

    /// A short description of a configuration, e.g. "mlp 784-512-16-512-784".
    static func describe(_ configuration: ModelConfiguration) -> String

    /// The configuration of a weight file that has no metadata (one saved from PyTorch), read from its
    /// tensor names and shapes; nil when the tensors are not this architecture's.
    static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration?
}

extension VAEArchitecture {
    /// `configuration`'s settings, typed.
    public static func settings(of configuration: ModelConfiguration) -> Settings {
        configuration.typedSettings(Settings.self)
    }

    /// No requirement beyond the settings' ranges.
    public static func validate(_ configuration: ModelConfiguration) throws {}

    /// The name and PyTorch shape of every parameter, in `parameters` order, from the layer table
    /// without building anything: a weight file is checked against them before any allocation.
    public static func parameterShapes(for configuration: ModelConfiguration) -> [(name: String, shape: [Int])] {
        layerTable(for: configuration).parameterShapes
    }

    /// The name and shape of every tensor a weight file of `configuration` holds: the parameters, then
    /// the buffers (non-trainable: BatchNorm's running statistics), from the layer table.
    public static func tensorShapes(for configuration: ModelConfiguration) -> [(name: String, shape: [Int])] {
        let table = layerTable(for: configuration)
        return table.parameterShapes + table.bufferShapes
    }

    /// From the layer table (`LayerTable.multiplyAddsPerImage`).
    public var multiplyAddsPerImage: (forward: Int, backward: Int) {
        Self.layerTable(for: configuration).multiplyAddsPerImage
    }
}

/// How `bench` times an architecture: the prefix of its JSON keys and its default training images.
public struct BenchEntry: Sendable {
    /// Prepended to every key of its figures: "" gives `train_samples_per_sec`, "conv_" gives
    /// `conv_train_samples_per_sec`.
    public let keyPrefix: String
    /// Training images timed unless `--train-images` says otherwise.
    public let images: Int
    /// Whether the PyTorch reference script (`--torch-script`) has this architecture, so that
    /// `bench --torch` runs it beside ours.
    public let hasTorchReference: Bool

    /// An entry timing `images` training images under keys prefixed `keyPrefix`.
    public init(keyPrefix: String, images: Int, hasTorchReference: Bool = false) {
        self.keyPrefix = keyPrefix
        self.images = images
        self.hasTorchReference = hasTorchReference
    }
}
