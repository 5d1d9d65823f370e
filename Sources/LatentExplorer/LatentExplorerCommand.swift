import ArgumentParser
import Foundation
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
                      SamplesCommand.self, StatsCommand.self, BenchCommand.self],
        defaultSubcommand: ExploreCommand.self
    )

    /// ArgumentParser's `main`, with the hints of `UsageHints` added to its usage errors.
    static func main() {
        BLASKernelSelection.reexecuteWithBestKernels()
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let commands = configuration.subcommands.compactMap { $0.configuration.commandName }
            if let message = UsageHints.message(for: error, arguments: arguments, commands: commands,
                                                root: configuration.commandName ?? "latent-explorer") {
                FileHandle.printError(message)
                Foundation.exit(exitCode(for: error).rawValue)
            }
            exit(withError: error)
        }
    }
}
