/// The variational autoencoder's parameters, as in pytorch/examples `vae/main.py`:
///
///     encoder: x[784] -> h = ReLU(W1 x + b1)[512] -> mu = Wmu h + bmu [L], logvar = Wlv h + blv [L]
///     decoder: z[L]   -> g = ReLU(Wd1 z + bd1)[512] -> logits = Wd2 g + bd2 [784] -> sigmoid = pixel probabilities
///
/// Training samples z = mu + exp(logvar/2) * eps (the reparameterisation trick); views and latent
/// codes use mu. The forward and backward passes over a mini-batch live in `TrainingStep`; quick
/// single-threaded inference for the explorer in `Inference`.
public final class VAEModel: @unchecked Sendable {
    public let architecture: VAEArchitecture
    public let encoderHidden: Dense
    public let encoderMean: Dense
    public let encoderLogVariance: Dense
    public let decoderHidden: Dense
    public let decoderOutput: Dense

    /// A model with PyTorch's default initialisation, reproducible for `seed`.
    public init(architecture: VAEArchitecture = VAEArchitecture(), seed: UInt64 = 0) {
        self.architecture = architecture
        let (n, h, l) = (architecture.inputSize, architecture.hiddenSize, architecture.latentDim)
        encoderHidden = Dense(name: "encoder.hidden", inputSize: n, outputSize: h, activation: .relu)
        encoderMean = Dense(name: "encoder.mean", inputSize: h, outputSize: l, activation: .identity)
        encoderLogVariance = Dense(name: "encoder.logvar", inputSize: h, outputSize: l, activation: .identity)
        decoderHidden = Dense(name: "decoder.hidden", inputSize: l, outputSize: h, activation: .relu)
        decoderOutput = Dense(name: "decoder.output", inputSize: h, outputSize: n, activation: .identity)
        var generator = SeededGenerator(seed: seed)
        for layer in layers { layer.initialize(using: &generator) }
    }

    /// Encoder then decoder, in the order of the forward pass.
    public var layers: [Dense] { [encoderHidden, encoderMean, encoderLogVariance, decoderHidden, decoderOutput] }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Value copies of every parameter by name: a snapshot safe to hand to another thread or a file.
    public func tensors() -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, Tensor(shape: $0.shape, values: $0.value.values)) })
    }

    /// Overwrites every parameter from `tensors`; each name and shape must match the architecture.
    public func load(_ tensors: [String: Tensor]) throws {
        for p in parameters {
            guard let t = tensors[p.name] else { throw ModelError.missingTensor(p.name) }
            guard t.shape == p.shape else { throw ModelError.shapeMismatch(p.name, expected: p.shape, found: t.shape) }
            p.value.assign(t.values)
        }
    }

    /// A model with the same architecture and a copy of these weights.
    public func copy() -> VAEModel {
        let twin = VAEModel(architecture: architecture)
        for (mine, theirs) in zip(parameters, twin.parameters) { theirs.value.copy(from: mine.value) }
        return twin
    }
}

public enum ModelError: Error, Equatable, CustomStringConvertible {
    case missingTensor(String)
    case shapeMismatch(String, expected: [Int], found: [Int])
    case unsupportedArchitecture(String)

    public var description: String {
        switch self {
        case .missingTensor(let name): return "weight file has no tensor '\(name)'"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor '\(name)' has shape \(found), expected \(expected)"
        case .unsupportedArchitecture(let text): return "unsupported architecture: \(text)"
        }
    }
}
