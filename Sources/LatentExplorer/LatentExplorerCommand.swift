import ArgumentParser
import VAE

@main
struct LatentExplorerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latent-explorer",
        abstract: "Train a variational autoencoder on handwritten letters and walk its latent space in the terminal.",
        discussion: """
            With no subcommand, opens the explorer on the pretrained weights in Weights/ and the built-in \
            synthetic letters. Data sets: a folder with the EMNIST letters (gzip IDX or CSV), MNIST or \
            Fashion-MNIST, named by --data or the environment variable EMNIST_DIR; --data synthetic uses \
            the built-in generator.
            """,
        version: "0.1.0",
        subcommands: [ExploreCommand.self, TrainCommand.self, EvalCommand.self, GridCommand.self, InterpolateCommand.self, TraverseCommand.self,
                      SamplesCommand.self, StatsCommand.self, CompareCommand.self, BenchCommand.self],
        defaultSubcommand: ExploreCommand.self
    )

    static func main() {
        BLASKernelSelection.reexecuteWithBestKernels()
        main(nil)
    }
}
