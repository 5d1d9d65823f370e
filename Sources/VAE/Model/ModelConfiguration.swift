import FileFormats
import LetterData
import Support

/// Everything needed to build a VAE: which architecture, what every architecture shares (the images,
/// the latent size) and the architecture's own settings. Weight files carry it in their metadata, and a
/// model is rebuilt from it before its tensors are loaded.
public struct ModelConfiguration: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The latent sizes every architecture supports (contract/limits.json).
    public static let latentDimensions = Contract.shared.latentDimensions
    /// Bounds that keep a model (weights, gradients and Adam's moments: 16 bytes a parameter) within
    /// a few GB, whatever a command line or a file's metadata asks for.
    public static let maximumInputSize = Contract.shared.inputSizes.upperBound
    /// The widest dense layer an architecture's settings allow.
    public static let maximumHiddenSize = Contract.shared.maximumHiddenSize
    /// The most parameters a model may have: 32 M floats are 128 MB of weights, and training keeps four
    /// copies (weights, gradients, Adam's two moments), so a model stays well within the 1 GB the
    /// program may use whatever a file declares. (32 << 20, in contract/limits.json.)
    public static let maximumParameterCount = Contract.shared.maximumParameterCount
    /// The most classes a conditional model may be conditioned on (the cvae's `class_count` range in
    /// contract/limits.json): EMNIST's largest split (byclass) has 62; the cap keeps a file's one-hot
    /// width, and the generative classifier's C passes per image, bounded whatever its metadata says.
    public static let maximumClassCount = Contract.shared.setting(CVAENetwork.name, ArchitectureSetting.classCountKey).range.upperBound

    /// The architecture, from the registry: a configuration is only ever made of a known one (files
    /// name theirs through `Architectures.find`, which refuses an unknown name in one line).
    public let architecture: any VAEArchitecture.Type
    /// The architecture's name (`VAEArchitecture.name`): "mlp", "conv", ...
    public var kind: String { architecture.name }
    /// Values per image (784 for 28x28): `geometry`'s height * width * channels.
    public var inputSize: Int
    /// The images the model takes. Files that do not declare it get `ImageGeometry.inferred(inputSize:)`.
    public var geometry: ImageGeometry
    /// Dimensions of the latent space, in `latentDimensions`.
    public var latentDim: Int
    /// The architecture's settings by key (`ArchitectureSetting.key`), every declared one present.
    public var settings: [String: [Int]]

    /// A configuration of `architecture`; settings not given take their defaults.
    public init(_ architecture: any VAEArchitecture.Type = MLPNetwork.self, inputSize: Int = ImageSet.pixelCount,
                latentDim: Int = 2, settings: [String: [Int]] = [:], geometry: ImageGeometry? = nil) {
        self.architecture = architecture
        self.inputSize = inputSize
        self.geometry = geometry ?? .inferred(inputSize: inputSize)
        self.latentDim = latentDim
        var all = Dictionary(uniqueKeysWithValues: architecture.settings.map { ($0.key, $0.defaultValues) })
        all.merge(settings) { _, given in given }
        self.settings = all
    }

    /// Equal when the architecture (by name), the sizes, the geometry and every setting are.
    public static func == (a: ModelConfiguration, b: ModelConfiguration) -> Bool {
        (a.kind, a.inputSize, a.geometry, a.latentDim, a.settings) == (b.kind, b.inputSize, b.geometry, b.latentDim, b.settings)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(inputSize)
        hasher.combine(geometry)
        hasher.combine(latentDim)
        hasher.combine(settings)
    }

    /// The values of `setting` (its default when unset).
    public subscript(setting: ArchitectureSetting) -> [Int] {
        settings[setting.key] ?? setting.defaultValues
    }


    /// The classes C a conditional model's encoder and decoder read as a one-hot vector (its
    /// `class_count` setting, `ArchitectureSetting.classCountKey`); 0 for an unconditional model, whose
    /// architecture has no such setting.
    public var classCount: Int { settings[ArchitectureSetting.classCountKey]?.first ?? 0 }

    /// Whether the model is conditioned on a class: p(x | z, y) and q(z | x, y).
    public var isConditional: Bool { classCount > 0 }

    /// Side of the square image, when the geometry is a square of one channel.
    public var imageSide: Int? {
        geometry.height == geometry.width && geometry.channels == 1 && geometry.valueCount == inputSize ? geometry.height : nil
    }

    /// Throws `ModelError.geometryMismatch` naming both sizes unless the model takes images of `data`'s
    /// shape: the check before any image is copied into the model's input rows.
    public func checkFits(_ data: ImageGeometry) throws {
        guard geometry == data, inputSize == data.valueCount else {
            throw ModelError.geometryMismatch(model: geometry, inputSize: inputSize, data: data)
        }
    }

    /// Throws `ModelError.invalidConfiguration` unless a model of this shape can be built: the shared
    /// sizes, then each setting against its declaration, then the architecture's own checks.
    public func validate() throws {
        func fail(_ reason: String) -> ModelError { .invalidConfiguration(reason) }
        guard Self.latentDimensions.contains(latentDim) else {
            throw fail("latent size \(latentDim) is outside \(Self.latentDimensions.lowerBound)...\(Self.latentDimensions.upperBound)")
        }
        guard (1 ... Self.maximumInputSize).contains(inputSize) else {
            throw fail("input size \(inputSize) is outside 1...\(Self.maximumInputSize)")
        }
        let sides = Contract.shared.geometrySides
        for (name, value, range) in [("height", geometry.height, sides.height), ("width", geometry.width, sides.width),
                                     ("channels", geometry.channels, sides.channels)] where !range.contains(value) {
            throw fail("the image \(name) \(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        guard let values = geometry.valueCount, values == inputSize else {
            throw fail("the image geometry \(geometry) does not hold the input size \(inputSize)")
        }
        let declared = architecture.settings
        if let unknown = settings.keys.sorted().first(where: { key in !declared.contains { $0.key == key } }) {
            let known = declared.isEmpty ? "none" : declared.map(\.key).joined(separator: ", ")
            throw fail("\(kind) has no setting \(TextSanitizer.quoted(unknown)) (its settings: \(known))")
        }
        for setting in declared { try setting.check(self[setting]) }
        try architecture.validate(self)
        guard let parameters = parameterCount, parameters <= Self.maximumParameterCount else {
            throw fail("\(self) has more than \(Self.maximumParameterCount) parameters")
        }
    }

    /// Floats a training batch keeps per image (activations and their gradients, the input, logits and
    /// latent buffers of `TrainingStep` and the architecture's batch pass), for sizing batches.
    public var activationValuesPerImage: Int {
        architecture.layerTable(for: self).activationValuesPerImage(inputSize: inputSize, latentDim: latentDim)
            + conditioningValuesPerImage
    }

    /// A conditional model's extra floats per image: `TrainingStep`'s one-hot classes `[B, C]`, and the
    /// concatenated inputs its batch pass keeps: [x, y] `[B, N + C]`, [z, y] and its gradient `[B, L + C]`.
    private var conditioningValuesPerImage: Int {
        isConditional ? classCount + (inputSize + classCount) + 2 * (latentDim + classCount) : 0
    }

    /// The most activation memory one batch may take: with the model itself (at most 512 MB while
    /// training), the program stays within 1 GB whatever the batch size asked for.
    public static let batchMemoryBudget = 256 << 20

    /// The largest batch whose activations fit `batchMemoryBudget` (at least 1).
    public var largestBatch: Int {
        max(1, Self.batchMemoryBudget / (MemoryLayout<Float>.size * max(1, activationValuesPerImage)))
    }

    /// Weights and biases of a model of this shape (nil when the count overflows); the configuration's
    /// sizes must already be in their ranges.
    public var parameterCount: Int? {
        var total = 0
        for (_, shape) in VAEModel.parameterShapes(for: self) {
            guard let bytes = SafeTensors.byteCount(of: shape) else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(bytes / SafeTensors.bytesPerElement)
            guard !overflow else { return nil }
            total = sum
        }
        return total
    }

    /// The architecture's description, e.g. "mlp 784-512-16-512-784". A configuration whose settings
    /// do not have the counts the architecture declares (from a file not yet validated) is named by its
    /// kind alone: `describe` may index every value it declares.
    public var description: String {
        guard architecture.settings.allSatisfy({ self[$0].count == $0.count }) else { return kind }
        return architecture.describe(self)
    }
}

/// Why a configuration or a set of tensors cannot make a model, said in one line.
public enum ModelError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case missingTensor(String)
    case unexpectedTensor(String)
    case shapeMismatch(String, expected: [Int], found: [Int])
    case geometryMismatch(model: ImageGeometry, inputSize: Int, data: ImageGeometry)
    /// A data set's class that a conditional model was not trained on (it has no one-hot input for it).
    case unknownClass(String, modelClasses: [String])

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason): return "invalid model: \(reason)"
        case .missingTensor(let name): return "weight file has no tensor \(TextSanitizer.quoted(name))"
        case .unexpectedTensor(let name): return "weight file has a tensor \(TextSanitizer.quoted(name)) this model does not use"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor \(TextSanitizer.quoted(name)) has shape \(found), expected \(expected)"
        case .geometryMismatch(let model, let inputSize, let data):
            return "the model takes \(model) images (\(inputSize) values), the data has \(data.sizeDescription)"
        case .unknownClass(let name, let classes):
            return "the data's class \(TextSanitizer.quoted(name)) is not one of the conditional model's classes (\(TextSanitizer.clean(classes.joined(separator: " "), limit: 400)))"
        }
    }
}
