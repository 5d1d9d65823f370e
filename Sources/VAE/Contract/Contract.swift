import Foundation

/// The ranges and caps this program and the PyTorch package both enforce, read from one file,
/// `contract/limits.json` (compiled in as `Contract.text` by scripts/sync-contract.py; the Python
/// package installs a copy as package data). Every constant that bounds what a weight file or a
/// command line may ask for is taken from here, so the two programs cannot drift apart: each has a
/// test that its validation refuses exactly what the file says (ContractTests, test_contract.py).
public struct Contract: Sendable {
    /// A setting's default values and the range each value must be in.
    public struct Setting: Sendable, Equatable {
        public let defaultValues: [Int]
        public let range: ClosedRange<Int>
    }

    /// The weight files' `format` metadata value and the `format_version`s read (the last is written).
    public let formatName: String
    public let formatVersions: ClosedRange<Int>
    public let latentDimensions: ClosedRange<Int>
    public let inputSizes: ClosedRange<Int>
    /// Each of an image's height, width and channels (their product must also be an input size).
    public let geometrySides: (height: ClosedRange<Int>, width: ClosedRange<Int>, channels: ClosedRange<Int>)
    public let maximumHiddenSize: Int
    public let maximumParameterCount: Int
    /// β, the weight of the KL term.
    public let klWeights: ClosedRange<Double>
    /// The `likelihood` values understood.
    public let likelihoods: [String]
    /// Each architecture's settings by key.
    public let settings: [String: [String: Setting]]
    /// `--k` of eval and compare.
    public let neighbours: ClosedRange<Int>
    /// `--importance-samples` of compare.
    public let importanceSamples: ClosedRange<Int>
    /// The training options both programs' `train` take: `--epochs`, `--batch-size`, `--patience`.
    public let epochs: ClosedRange<Int>, batchSize: ClosedRange<Int>, patience: ClosedRange<Int>
    /// `--learning-rate`.
    public let learningRate: ClosedRange<Float>
    /// `--lr-factor`: what each cut of a reduce-on-plateau schedule multiplies the learning rate by (0
    /// would stop learning, 1 would not cut).
    public let learningRateFactor: ClosedRange<Float>
    /// The most characters of a message line built from what a file holds.
    public let messageLimit: Int

    /// The contract this program was built with.
    public static let shared: Contract = {
        do { return try Contract(json: text) } catch {
            // The compiled-in text is checked by ContractTests; reaching this is a build from an edited,
            // unchecked ContractText.swift.
            preconditionFailure("contract/limits.json as compiled in is not a valid contract: \(error)")
        }
    }()

    /// A malformed contract file, with the key that is wrong.
    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses a contract file's text; throws `Malformed` naming the first key missing or of the wrong type.
    public init(json: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw Malformed(description: "not a JSON object")
        }
        func value<T>(_ path: String, _ type: T.Type) throws -> T {
            var current: Any? = object
            for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
            guard let found = current as? T else { throw Malformed(description: "\(path) is missing or not a \(T.self)") }
            return found
        }
        func range(_ path: String) throws -> ClosedRange<Int> {
            let pair = try value(path, [Int].self)
            guard pair.count == 2, pair[0] <= pair[1] else { throw Malformed(description: "\(path) is not a [low, high] pair") }
            return pair[0] ... pair[1]
        }
        formatName = try value("format.name", String.self)
        formatVersions = try range("format.versions")
        latentDimensions = try range("latent_dim")
        inputSizes = try range("input_size")
        geometrySides = (try range("geometry.height"), try range("geometry.width"), try range("geometry.channels"))
        maximumHiddenSize = try value("maximum_hidden_size", Int.self)
        maximumParameterCount = try value("maximum_parameter_count", Int.self)
        let beta = try value("kl_weight", [Double].self)
        guard beta.count == 2, beta[0] <= beta[1] else { throw Malformed(description: "kl_weight is not a [low, high] pair") }
        klWeights = beta[0] ... beta[1]
        likelihoods = try value("likelihoods", [String].self)
        var settings: [String: [String: Setting]] = [:]
        for (architecture, declared) in try value("architectures", [String: [String: Any]].self) {
            var own: [String: Setting] = [:]
            for key in declared.keys {
                own[key] = Setting(defaultValues: try value("architectures.\(architecture).\(key).default", [Int].self),
                                   range: try range("architectures.\(architecture).\(key).range"))
            }
            settings[architecture] = own
        }
        self.settings = settings
        neighbours = try range("options.k")
        importanceSamples = try range("options.importance_samples")
        epochs = try range("options.epochs")
        batchSize = try range("options.batch_size")
        patience = try range("options.patience")
        func floatRange(_ path: String) throws -> ClosedRange<Float> {
            let pair = try value(path, [Double].self)
            guard pair.count == 2, pair[0] <= pair[1] else { throw Malformed(description: "\(path) is not a [low, high] pair") }
            return Float(pair[0]) ... Float(pair[1])
        }
        learningRate = try floatRange("options.learning_rate")
        learningRateFactor = try floatRange("options.learning_rate_factor")
        messageLimit = try value("message_limit", Int.self)
    }

    /// The declaration of `key` of `architecture`; a setting the contract does not name is a programming
    /// error (an architecture file and the contract out of step), caught by ContractTests.
    public func setting(_ architecture: String, _ key: String) -> Setting {
        guard let found = settings[architecture]?[key] else {
            preconditionFailure("contract/limits.json declares no setting \(key) of \(architecture)")
        }
        return found
    }
}
