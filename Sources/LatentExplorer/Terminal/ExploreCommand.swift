import CursesScreen
import ArgumentParser
import ExplorerCore
import Foundation
import LetterData
import Support
import VAE

struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Walk the latent plane in the terminal, browse test letters by class, train live.",
        discussion: """
            Opens on the pretrained weights in Weights/ and the built-in synthetic letters unless told \
            otherwise. Press ? inside for the keys. NO_COLOR turns colours off.
            """)

    /// More than `train`'s default: the explorer trains until the user stops it or early stopping does.
    static let defaultEpochs = 50

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("Weights to open (default: Weights/default.safetensors).", valueName: "file")) var weights: String?
    @Option(help: ArgumentHelp(
        "Where s saves (default: a new file in the current folder named after the model and the time, e.g. default-20261204-143012.safetensors). The explorer asks before replacing a file and never writes into Weights/.",
        valueName: "file"))
    var saveTo: String?
    @Flag(help: "Show every class of the data set, not only those the model was trained on (its metadata's classes).")
    var allClasses = false
    @Flag(help: "Draw with an ASCII ramp instead of Unicode blocks.") var ascii = false
    @Option(help: "Synthetic letters generated for training (with the built-in data).") var trainCount = LabelledDataset.emnistLettersCSVSizes.train
    @Option(help: "Test letters shown (encoded, browsed, scattered), sampled evenly over the classes.") var testCount = 2_600
    @Option(help: "Maximum epochs when training from the explorer.") var epochs = Self.defaultEpochs
    @Flag(help: "Print the median frame times to standard error when quitting.") var frameStats = false
    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "Show 1-3 more models beside this one, one cursor moving in all; Tab moves the focus (browse, train, save).",
        valueName: "file"))
    var compare: [String] = []

    func validate() throws {
        try OptionRanges.check(trainCount, in: OptionRanges.syntheticCount, "--train-count")
        try OptionRanges.check(testCount, in: OptionRanges.shownTestCount, "--test-count")
        try OptionRanges.check(epochs, in: OptionRanges.epochs, "--epochs")
        guard compare.count < ComparedModels.maximumCount else {
            throw ValidationError("--compare takes 1 to \(ComparedModels.maximumCount - 1) weight files")
        }
    }

    /// Runs `body`, turning the terminal's refusal into the one-line error of every command.
    private static func terminalCheck(_ body: () throws -> Void) throws {
        do { try body() } catch let refusal as TerminalUnusable { throw CLIError(refusal.description) }
    }

    func run() throws {
        try Self.terminalCheck { try CursesTerminal.checkUsable() }
        DeliberateCrash.armFromEnvironment()
        var setup = try makeSetup()
        let terminal = CursesTerminal(onTake: TerminalRestore.arm, onGiveBack: TerminalRestore.disarm)
        TerminationSignals.install()
        let noColour = ProcessInfo.processInfo.environment["NO_COLOR"] != nil
        try Self.terminalCheck { try terminal.start(useColour: !noColour) }
        defer { terminal.stop() }   // also when something below throws
        setup.capabilities = TerminalCapabilities.choose(colourCount: terminal.colourCount, noColour: noColour, asciiOnly: ascii,
                                                         unicode: terminal.isUnicode)
        let size = terminal.size
        var app = ExplorerApp(session: ExplorerSession(setup, screen: ScreenSize(width: size.width, height: size.height)),
                              terminal: terminal)
        let signal = app.run()
        terminal.stop()
        if let farewell = app.session.farewell { print(farewell) }
        app.session.stopTraining()
        if frameStats { FileHandle.printError(app.frameTimer.summary) }
        if signal != 0 { throw ExitCode(128 + signal) }
    }
}
