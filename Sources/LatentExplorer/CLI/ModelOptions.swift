import ArgumentParser
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
