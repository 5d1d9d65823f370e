import ArgumentParser
import FileFormats
import Foundation
import Support
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

            """ + OptionRanges.helpTable,
        version: "0.1.0",
        subcommands: [ExploreCommand.self, TrainCommand.self, EvalCommand.self, GridCommand.self, InterpolateCommand.self, TraverseCommand.self,
                      SamplesCommand.self, WriteCommand.self, StatsCommand.self, CompareCommand.self, EncodeCommand.self,
                      ExportCommand.self, BenchCommand.self, CheckWeightsCommand.self],
        defaultSubcommand: ExploreCommand.self
    )

    /// As ArgumentParser's `main`, with two changes: usage errors get the hints of `UsageHints` (did you
    /// mean, `--from=-2,0.5`), and every error message passes `TextSanitizer` on its way to the terminal:
    /// a message may quote a file name or a file's contents, and no error, caught or not, may print an
    /// escape sequence.
    static func main() {
        BLASKernelSelection.reexecuteWithBestKernels()
        // Every output's write policy (WritePolicy.output) keeps out of the shipped Weights/ without --force.
        WritePolicy.protect(ExploreCommand.shippedWeightsFolders())
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let commands = configuration.subcommands.compactMap { $0.configuration.commandName }
            let message = UsageHints.message(for: error, arguments: arguments, commands: commands,
                                             root: configuration.commandName ?? "latent-explorer")
                ?? fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }   // --help, --version: our own text
            } else if !message.isEmpty {
                // The error line is capped (TextSanitizer.messageLimit): it may list what a file holds.
                var lines = message.split(separator: "\n", omittingEmptySubsequences: false).map { TextSanitizer.clean(String($0)) }
                lines[0] = TextSanitizer.capped(lines[0])
                FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            }
            Foundation.exit(code.rawValue)
        }
    }
}
