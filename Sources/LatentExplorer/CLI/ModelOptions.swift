import ArgumentParser
import Foundation
import VAE

extension ModelConfiguration.Kind: ExpressibleByArgument {}

/// The options that describe a new model: its architecture and sizes.
struct ModelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The architecture: mlp or conv.", valueName: "kind"))
    var arch: ModelConfiguration.Kind = .mlp

    @Option(help: ArgumentHelp("Dimensions of the latent space (1-64).", valueName: "n"))
    var latentDim = 2

    @Option(help: ArgumentHelp("Width of the dense hidden layers (default: 512 for mlp, 128 for conv).", valueName: "n"))
    var hiddenSize: Int?

    var configuration: ModelConfiguration {
        ModelConfiguration(kind: arch, hiddenSize: hiddenSize, latentDim: latentDim)
    }

    func validate() throws {
        do { try configuration.validate() } catch let error as ModelError {
            throw ValidationError(error.description)
        }
    }
}

/// A latent code on the command line: comma-separated numbers, e.g. `0.5,-1.2`.
struct LatentCode: ExpressibleByArgument {
    var values: [Float]

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map {
            Float($0.trimmingCharacters(in: .whitespaces))
        }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0!.isFinite }) else { return nil }
        values = parts.map { $0! }
    }
}
