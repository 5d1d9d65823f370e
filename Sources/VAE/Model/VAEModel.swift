import FileFormats
import Support
#if canImport(Glibc)
import Glibc
#endif

/// A variational autoencoder, built from a `ModelConfiguration`, as in pytorch/examples `vae/main.py`:
///
///     encode:         x [N]          -> mean [L], logvar [L]          (the architecture's encoder)
///     reparameterize: mean, logvar   -> z = mean + exp(logvar / 2) * eps,  eps ~ N(0, I)
///     decode:         z [L]          -> logits [N], pixel probabilities = sigmoid(logits)
///     loss:           BCE(sigmoid(logits), x) summed over pixels + KL(N(mean, exp(logvar)) || N(0, I))
///
/// The batch forward and backward of training are `TrainingStep`; deterministic encoding and decoding
/// for scores and the explorer are `Inference`. Views and latent codes use the mean, never a sample.
public final class VAEModel {
    public let configuration: ModelConfiguration
    /// The architecture's layers; only `TrainingStep` and `Inference` drive it.
    public let network: any VAENetwork
    /// A conditional model's class names in the order of its one-hot inputs (class index y names
    /// `classNames[y]`; weight files keep them as `classes`); empty for an unconditional model.
    /// `ClassMap` matches a data set's labels to them by name.
    public var classNames: [String] {
        didSet { precondition(classNames.count == configuration.classCount, "one name per class") }
    }

    /// Whether the model is conditioned on a class (`ModelConfiguration.isConditional`).
    public var isConditional: Bool { configuration.isConditional }
    /// The classes C it is conditioned on; 0 for an unconditional model.
    public var classCount: Int { configuration.classCount }

    /// A model with PyTorch's default initialisation, reproducible for `seed`. The configuration must be
    /// valid (`ModelConfiguration.validate()`: check user input with it first). A conditional model's
    /// classes are `classNames` (one per class), or `ClassMap.defaultNames` when nil.
    public convenience init(configuration: ModelConfiguration = ModelConfiguration(), seed: UInt64 = 0, classNames: [String]? = nil) {
        self.init(building: configuration, classNames: classNames)
        var generator = SeededGenerator(seed: seed)
        network.initialize(using: &generator)
    }

    /// A model holding `tensors` (exactly the names and shapes of `configuration`'s parameters and
    /// buffers), built without the random initialisation they would overwrite: the explorer makes one
    /// from each training snapshot, every second while training runs, and drawing a million Gaussian
    /// numbers for nothing was a tenth of its UI thread's work.
    public convenience init(configuration: ModelConfiguration, classNames: [String]? = nil, tensors: [String: Tensor]) throws {
        self.init(building: configuration, classNames: classNames)
        try load(tensors)
    }

    /// The layers of a valid `configuration`, their weights as the architecture allocates them (not yet initialised).
    private init(building configuration: ModelConfiguration, classNames: [String]?) {
        do { try configuration.validate() } catch { preconditionFailure("\(error)") }
        self.configuration = configuration
        self.classNames = classNames ?? ClassMap.defaultNames(count: configuration.classCount)
        precondition(self.classNames.count == configuration.classCount, "one name per class")
        network = configuration.architecture.init(configuration: configuration)
    }

    /// The name and shape of every parameter of a model of `configuration` (which must be valid),
    /// without building it.
    public static func parameterShapes(for configuration: ModelConfiguration) -> [(name: String, shape: [Int])] {
        configuration.architecture.parameterShapes(for: configuration)
    }

    /// The name and shape of every tensor of its weight files: the parameters, then the buffers.
    public static func tensorShapes(for configuration: ModelConfiguration) -> [(name: String, shape: [Int])] {
        configuration.architecture.tensorShapes(for: configuration)
    }

    /// The configuration of a file's tensors, for files without our metadata (saved from PyTorch): the
    /// architecture whose tensor names are exactly the file's, or else the first that recognises some of
    /// them (loading then names the difference).
    public static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration? {
        let candidates = Architectures.all.compactMap { $0.inferConfiguration(from: shapes) }
        // Names alone do not tell the MLP from the conditional VAE (same modules, C more inputs): the
        // exact candidate has every shape too.
        let exact = candidates.first { candidate in
            guard (try? candidate.validate()) != nil else { return false }
            let expected = tensorShapes(for: candidate)
            return expected.count == shapes.count && expected.allSatisfy { shapes[$0.name] == $0.shape }
        }
        return exact ?? candidates.first
    }

    /// Throws the first difference between `shapes` and the tensors (parameters and buffers) of a model
    /// of `configuration`.
    public static func checkTensors(_ shapes: [String: [Int]], match configuration: ModelConfiguration) throws {
        let expected = tensorShapes(for: configuration)
        let names = Set(expected.map(\.name))
        if let extra = shapes.keys.sorted().first(where: { !names.contains($0) }) { throw ModelError.unexpectedTensor(extra) }
        for (name, shape) in expected {
            guard let found = shapes[name] else { throw ModelError.missingTensor(name) }
            guard found == shape else { throw ModelError.shapeMismatch(name, expected: shape, found: found) }
        }
    }

    public var latentDim: Int { configuration.latentDim }

    public var parameters: [Parameter] { network.parameters }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// z = mean + exp(logvar / 2) * noise, element-wise over `[B, L]` matrices.
    public static func reparameterize(mean: Matrix, logVariance: Matrix, noise: Matrix, into z: Matrix) {
        z.rows = mean.rows
        for i in 0 ..< mean.count {
            z.storage[i] = mean.storage[i] + expf(0.5 * logVariance.storage[i]) * noise.storage[i]
        }
    }

    /// The non-trainable tensors (`VAENetwork.buffers`): in weight files, never in the optimiser.
    public var buffers: [Parameter] { network.buffers }

    /// Value copies of every parameter and buffer by name: a snapshot safe to hand to another thread or a file.
    public func tensors() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: (parameters + buffers).map { ($0.name, Tensor(shape: $0.shape, values: $0.value.values)) })
    }

    /// Overwrites every parameter and buffer from `tensors`: the names and shapes must be exactly this model's.
    public func load(_ tensors: [String: Tensor]) throws {
        try Self.checkTensors(tensors.mapValues(\.shape), match: configuration)
        for p in parameters + buffers { p.value.assign(tensors[p.name]!.values) }
    }

    /// A model with the same configuration and a copy of these weights, sharing nothing with this one
    /// (`sending`: the copy may move to another thread). The weights cross as value arrays.
    public func copy() -> sending VAEModel {
        let weights = (parameters + buffers).map(\.value.values)   // value arrays: the twin never touches ours
        let twin = VAEModel(configuration: configuration, classNames: classNames)
        for (parameter, values) in zip(twin.parameters + twin.buffers, weights) { parameter.value.assign(values) }
        return twin
    }
}
