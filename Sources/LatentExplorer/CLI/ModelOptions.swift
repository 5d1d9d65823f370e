import ArgumentParser
import VAE

/// The options that describe a new model: its architecture (any in `Architectures.all`), the latent
/// size, and the architecture's settings (`--setting key=value`, checked against its declared table).
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The architecture.",
                               discussion: Architectures.all.map { "\($0.name): \($0.summary)" }.joined(separator: "\n"),
                               valueName: "kind"))
    var arch = Architectures.all[0].name

    @Option(help: ArgumentHelp("Dimensions of the latent space (\(ModelConfiguration.latentDimensions.lowerBound)-\(ModelConfiguration.latentDimensions.upperBound)).", valueName: "n"))
    var latentDim = 2

    @Option(name: .customLong("setting"),
            help: ArgumentHelp("Set one of the architecture's settings, e.g. hidden_size=256 or channels=16,32 (repeatable).",
                               discussion: Self.settingsHelp, valueName: "key=value"))
    var settings: [String] = []

    @Option(help: ArgumentHelp("Shortcut for --setting hidden_size=n, for architectures that have it.", valueName: "n"))
    var hiddenSize: Int?

    /// Each architecture's settings, one line each, for `--setting`'s help.
    static var settingsHelp: String {
        Architectures.all.flatMap { architecture in
            architecture.settings.isEmpty ? ["\(architecture.name): no settings"]
                : architecture.settings.map { "\(architecture.name) \($0.helpLine)" }
        }.joined(separator: "\n")
    }

    /// The model the options describe; a one-line error for an unknown architecture, a setting it does
    /// not have, or a value out of range.
    func makeConfiguration() throws -> ModelConfiguration {
        let architecture = try Architectures.find(arch)
        var values: [String: [Int]] = [:]
        for item in settings {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let parsed = ArchitectureSetting.parse(parts[1]) else {
                throw ValidationError("--setting \(item): expected key=value, e.g. \(ArchitectureSetting.hiddenSizeKey)=256")
            }
            values[parts[0]] = parsed
        }
        if let hiddenSize {
            guard architecture.settings.contains(where: { $0.key == ArchitectureSetting.hiddenSizeKey }) else {
                throw ValidationError("--hidden-size: \(architecture.name) has no \(ArchitectureSetting.hiddenSizeKey) setting (see --setting)")
            }
            values[ArchitectureSetting.hiddenSizeKey] = [hiddenSize]
        }
        let configuration = ModelConfiguration(architecture, latentDim: latentDim, settings: values)
        try configuration.validate()
        return configuration
    }

    /// The configuration, valid once `validate` has passed.
    var configuration: ModelConfiguration {
        guard let configuration = try? makeConfiguration() else { preconditionFailure("ModelOptions used before validate()") }
        return configuration
    }

    func validate() throws {
        do { _ = try makeConfiguration() } catch let error as ModelError {
            throw ValidationError(error.description)
        }
    }
}
