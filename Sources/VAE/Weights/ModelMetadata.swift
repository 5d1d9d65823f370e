import Foundation
import LetterData
import Support

/// What a weight file says about its model, stored as safetensors `__metadata__` strings.
///
/// Format versions: 1 (MLP only: `architecture`, `input_size`, `hidden_size`, `latent_dim`, test loss
/// measured on the split that chose the weights); 2 (adds `channels` for the conv kind, the validation
/// split that chose the weights, and a test loss measured separately on the test split); 3 (adds the
/// input geometry `image_height`, `image_width`, `image_channels`, whose product is `input_size`; the
/// training objective `kl_weight` and `likelihood`; `data_note`; and `class_filter`, the classes the user restricted training
/// to, absent when all were used. Absent in older files, the geometry
/// is inferred from the input size and the rest read as β = 1, Bernoulli, no note).
///
/// The architecture's settings are written under their own keys (`ArchitectureSetting.key`, values
/// comma-separated), so `hidden_size` and `channels` read as they always have; a setting a file does
/// not have takes its default.
public struct ModelMetadata: Sendable, Equatable {
    /// How the saved weights were chosen among the epochs trained.
    public enum Selection: Sendable, Equatable {
        /// The epoch with the lowest loss on images kept out of training, described (e.g. "10% of the
        /// training split, stratified by class, seed 0").
        case bestValidation(on: String)
        /// The last epoch (training without a validation split).
        case lastEpoch
        /// Not recorded (version 1 files, files from elsewhere).
        case unknown
    }

    public var configuration: ModelConfiguration
    /// The data set it was trained on, e.g. "emnist-letters (idx)" or "synthetic-letters".
    public var dataset: String = "untrained"
    /// Class names it saw, in label order (e.g. a...z).
    public var classes: [String] = []
    /// The epoch whose weights these are.
    public var epochs: Int = 0
    public var selection: Selection = .unknown
    /// Negative ELBO per image (nats, one z sample per image) on the validation part that chose the weights.
    public var validationLoss: LossParts?
    /// Negative ELBO per image on the data set's test split, never used for choosing.
    public var testLoss: LossParts?
    public var trainedAt: String?
    /// The objective the weights were trained with (β, the likelihood).
    public var objective: VAEObjective = .elbo
    /// Free text when the images came from somewhere unusual (e.g. a test split trained on).
    public var dataNote: String?

    /// How a file in another program's layout was read (e.g. pytorch/examples' `fc1`...`fc4`), said in
    /// one line when it is opened; nil for our own files. Not written back: a saved model is in our layout.
    public var layoutNote: String?

    /// The class filter the user gave (e.g. "aeiou" from `--letters aeiou`); nil when every class was used.
    public var classFilter: String?

    /// How the learning rate was scheduled (`train --lr-plateau`), in words; nil for a constant rate.
    public var learningRateSchedule: String?

    public init(configuration: ModelConfiguration, dataset: String = "untrained", classes: [String] = [],
                epochs: Int = 0, selection: Selection = .unknown, validationLoss: LossParts? = nil,
                testLoss: LossParts? = nil, trainedAt: String? = nil, objective: VAEObjective = .elbo,
                dataNote: String? = nil, classFilter: String? = nil, learningRateSchedule: String? = nil) {
        self.configuration = configuration
        self.dataset = dataset
        self.classes = classes
        self.epochs = epochs
        self.selection = selection
        self.validationLoss = validationLoss
        self.testLoss = testLoss
        self.trainedAt = trainedAt
        self.objective = objective
        self.dataNote = dataNote
        self.classFilter = classFilter
        self.learningRateSchedule = learningRateSchedule
    }

    static let formatName = Contract.shared.formatName
    /// The versions read (contract/limits.json); the last is the one written.
    static let formatVersions = Contract.shared.formatVersions
    static let formatVersion = formatVersions.upperBound

    var strings: [String: String] {
        var out: [String: String] = [
            "format": Self.formatName,
            "format_version": String(Self.formatVersion),
            "architecture": configuration.kind,
            "input_size": String(configuration.inputSize),
            "latent_dim": String(configuration.latentDim),
            "dataset": dataset,
            "classes": Self.encodeList(classes),
            "epochs": String(epochs),
            "image_height": String(configuration.geometry.height),
            "image_width": String(configuration.geometry.width),
            "image_channels": String(configuration.geometry.channels),
        ]
        for (key, values) in configuration.settings { out[key] = ArchitectureSetting.format(values) }
        switch selection {
        case .bestValidation(let images):
            out["selected_on"] = "validation"
            out["validation_set"] = images
        case .lastEpoch: out["selected_on"] = "last_epoch"
        case .unknown: break
        }
        Self.write(validationLoss, prefix: "validation", into: &out)
        Self.write(testLoss, prefix: "test", into: &out)
        if let trainedAt { out["trained_at"] = trainedAt }
        out["kl_weight"] = VAEObjective.format(objective.klWeight)
        out["likelihood"] = objective.likelihood.rawValue
        if let dataNote { out["data_note"] = dataNote }
        if let classFilter { out["class_filter"] = classFilter }
        if let learningRateSchedule { out["learning_rate_schedule"] = learningRateSchedule }
        return out
    }

    /// Whether these strings were written by this program (otherwise the file came from elsewhere).
    static func isOurs(_ strings: [String: String]) -> Bool { strings["format"] == formatName }

    /// The model configuration a file of ours declares. Throws a one-line reason when the version is
    /// newer than this program reads, or a field is missing or not understood.
    static func configuration(from strings: [String: String]) throws -> ModelConfiguration {
        guard let versionText = strings["format_version"], let version = Int(versionText) else {
            throw ModelError.invalidConfiguration("the metadata has no format_version")
        }
        guard version >= formatVersions.lowerBound else {
            throw ModelError.invalidConfiguration(
                "format version \(version) is not a version (versions start at \(formatVersions.lowerBound))")
        }
        guard version <= formatVersions.upperBound else {
            throw ModelError.invalidConfiguration(
                "format version \(version) is newer than this program reads (up to \(formatVersion)); update LatentExplorer")
        }
        func integer(_ key: String) throws -> Int {
            guard let text = strings[key], let value = Int(text) else {
                throw ModelError.invalidConfiguration("the metadata's \(key) is missing or not a whole number")
            }
            return value
        }
        let architecture = try Architectures.find(strings["architecture"] ?? "")
        // A key that is another architecture's setting contradicts the architecture named (an MLP
        // file with conv channels): refused rather than ignored, as before settings were declared.
        let own = Set(architecture.settings.map(\.key))
        let others = Architectures.all.flatMap { $0.settings.map(\.key) }.filter { !own.contains($0) }
        if let foreign = others.sorted().first(where: { strings[$0] != nil }), let value = strings[foreign] {
            throw ModelError.invalidConfiguration(
                "the metadata sets \(foreign) \(TextSanitizer.quoted(value)), which the \(architecture.name) architecture does not have")
        }
        var settings: [String: [Int]] = [:]
        for setting in architecture.settings {
            guard let text = strings[setting.key] else { continue }
            guard let values = ArchitectureSetting.parse(text) else {
                throw ModelError.invalidConfiguration("the metadata's \(setting.key) \(TextSanitizer.quoted(text)) is not a list of numbers")
            }
            settings[setting.key] = values
        }
        let inputSize = try integer("input_size")
        var geometry: ImageGeometry?
        let geometryKeys = ["image_height", "image_width", "image_channels"]
        // Files without the keys (versions 1 and 2, or a version 3 file written before they existed)
        // get the geometry inferred from the input size; a file with any of them must give all three.
        if geometryKeys.contains(where: { strings[$0] != nil }) {
            geometry = ImageGeometry(height: try integer("image_height"), width: try integer("image_width"),
                                     channels: try integer("image_channels"))
        }
        _ = try objective(from: strings)
        return ModelConfiguration(architecture, inputSize: inputSize, latentDim: try integer("latent_dim"),
                                  settings: settings, geometry: geometry)
    }

    /// The training objective a file declares: β = 1 and Bernoulli when absent; a likelihood this
    /// program does not know, or a β that is not a number in range, is refused (the decoder's output
    /// would be misread).
    static func objective(from strings: [String: String]) throws -> VAEObjective {
        var objective = VAEObjective.elbo
        if let name = strings["likelihood"] {
            guard let likelihood = VAEObjective.Likelihood(rawValue: name) else {
                let known = VAEObjective.Likelihood.allCases.map(\.rawValue).joined(separator: ", ")
                throw ModelError.invalidConfiguration("unknown likelihood '\(name)' (this program knows \(known))")
            }
            objective.likelihood = likelihood
        }
        if let text = strings["kl_weight"] {
            guard let beta = VAEObjective.parseKLWeight(text) else {
                throw ModelError.invalidConfiguration("the metadata's kl_weight '\(text)' is not a number")
            }
            objective.klWeight = beta
            try objective.validate()
        }
        return objective
    }

    /// Reads the descriptive fields back; `configuration` comes from `configuration(from:)` or the tensors.
    init(strings: [String: String], configuration: ModelConfiguration) {
        self.configuration = configuration
        dataset = strings["dataset"] ?? "unknown"
        classes = strings["classes"].map(Self.decodeList) ?? []
        epochs = strings["epochs"].flatMap { Int($0) } ?? 0
        switch strings["selected_on"] {
        case "validation": selection = .bestValidation(on: strings["validation_set"] ?? "unknown")
        case "last_epoch": selection = .lastEpoch
        default: selection = .unknown
        }
        let version = strings["format_version"].flatMap { Int($0) } ?? 0
        if version >= 2 {
            validationLoss = Self.read(prefix: "validation", from: strings)
            testLoss = Self.read(prefix: "test", from: strings)
        } else {
            // Version 1 chose its epoch on the test split and stored that loss as the test loss.
            testLoss = Self.read(prefix: "test", from: strings)
        }
        trainedAt = strings["trained_at"]
        objective = (try? Self.objective(from: strings)) ?? .elbo
        dataNote = strings["data_note"]
        classFilter = strings["class_filter"]
        learningRateSchedule = strings["learning_rate_schedule"]
    }

    private static func write(_ loss: LossParts?, prefix: String, into strings: inout [String: String]) {
        guard let loss else { return }
        strings["\(prefix)_neg_elbo"] = String(format: "%.4f", loss.total)
        strings["\(prefix)_reconstruction"] = String(format: "%.4f", loss.reconstruction)
        strings["\(prefix)_kl"] = String(format: "%.4f", loss.kl)
    }

    private static func read(prefix: String, from strings: [String: String]) -> LossParts? {
        guard let r = strings["\(prefix)_reconstruction"].flatMap(Double.init),
              let k = strings["\(prefix)_kl"].flatMap(Double.init) else { return nil }
        return LossParts(reconstruction: r, kl: k)
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
