import ArgumentParser
import ExplorerCore
import Foundation
import VAE

struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Walk the latent plane in the terminal, browse test letters by class, train live.",
        discussion: """
            Opens on the pretrained weights in Weights/ and the built-in synthetic letters unless told \
            otherwise. Press ? inside for the keys. NO_COLOR turns colours off.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("Weights to open (default: Weights/default.safetensors).", valueName: "file")) var weights: String?
    @Option(help: ArgumentHelp("Where s saves (default: the --weights file, or ./latent-explorer.safetensors).", valueName: "file"))
    var saveTo: String?
    @Flag(help: "Draw with an ASCII ramp instead of Unicode blocks.") var ascii = false
    @Option(help: "Synthetic letters generated for training (with the built-in data).") var trainCount = 88_800
    @Option(help: "Test letters shown (encoded, browsed, scattered), sampled evenly over the classes.") var testCount = 2_600
    @Option(help: "Maximum epochs when training from the explorer.") var epochs = 50
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

    func run() throws {
        try CursesTerminal.checkUsable()
        DeliberateCrash.armFromEnvironment()
        let setup = try makeSetup()
        let terminal = CursesTerminal()
        TerminationSignals.install()
        try terminal.start(useColour: ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        var setupWithTerminal = setup
        setupWithTerminal.capabilities = TerminalCapabilities.choose(
            colourCount: terminal.colourCount, noColour: ProcessInfo.processInfo.environment["NO_COLOR"] != nil, asciiOnly: ascii,
            unicode: terminal.isUnicode)
        let app = ExplorerApp(setup: setupWithTerminal, terminal: terminal)
        defer { terminal.stop() }   // also when something below throws
        let signal = app.run()
        terminal.stop()
        app.stopTraining()
        if frameStats { FileHandle.printError(app.frameSummary) }
        if signal != 0 { throw ExitCode(128 + signal) }
    }

    /// Loads weights and data before the terminal is taken, so any error prints as a plain line.
    private func makeSetup() throws -> ExplorerApp.Setup {
        let weightsPath = weights ?? Self.defaultWeightsPath()
        var model: VAEModel
        var metadata: ModelMetadata
        var description: String
        var message = "Press ? for help"
        if let weightsPath {
            (model, metadata) = try CLIError.wrap { try WeightsFile.load(weightsPath) }
            try CLIError.wrap { try model.configuration.checkFits(ImageSet.geometry) }
            description = TextSanitizer.clean("\((weightsPath as NSString).lastPathComponent) (\(metadata.dataset), \(metadata.epochs) epochs)")
        } else {
            model = VAEModel(seed: 0)
            metadata = ModelMetadata(configuration: model.configuration)
            description = "untrained"
            message = "No pretrained weights found (Weights/default.safetensors): this model is untrained; press t to train it"
        }
        let latentDim = model.latentDim
        if latentDim > 2 {
            message = "\(latentDim) latent dimensions: the plane shows z1 and z2, the others at 0; x and y pick others, p the PCA plane"
        } else if latentDim == 1 {
            message = "A 1-D model: the plane shows z1 across (every row is the same)"
        }
        let savePath = saveTo ?? weights ?? "latent-explorer.safetensors"

        let source = dataOptions.source
        let data: ExplorerData, dataName: String
        let training: TrainingSession
        // Training continues with the β the weights were trained with ({ and } change it).
        let configuration = TrainingConfiguration(epochs: epochs, batchSize: 128, patience: 4, seed: 0, snapshotInterval: 1.0,
                                                  objective: metadata.objective)
        switch source {
        case .synthetic:
            let keep = try Self.letterLabels(dataOptions.letters)
            dataName = "synthetic letters"
            data = ExplorerData(test: SyntheticLetters.makeImageSet(count: testCount, seed: ExplorerData.syntheticTestSeed, labels: keep),
                                reference: SyntheticLetters.makeImageSet(count: ExplorerData.syntheticReferenceCount,
                                                                         seed: ExplorerData.syntheticReferenceSeed, labels: keep),
                                classNames: LabelledDataset.letterClassNames, name: dataName)
            let (trainCount, testCount) = (trainCount, testCount)
            training = TrainingSession(dataName: "synthetic letters (\(trainCount))", configuration: configuration,
                                       codeImages: data.codeImages) {
                LabelledDataset(name: "synthetic-letters", train: SyntheticLetters.makeImageSet(count: trainCount, seed: 1, labels: keep),
                                test: SyntheticLetters.makeImageSet(count: testCount, seed: ExplorerData.syntheticTestSeed, labels: keep),
                                classNames: LabelledDataset.letterClassNames)
            }
        case .directory, .mixture:
            let dataset = try dataOptions.load()
            data = ExplorerData(dataset: dataset, testCount: testCount)
            dataName = dataset.name
            training = TrainingSession(dataName: dataset.name, configuration: configuration, codeImages: data.codeImages) { dataset }
        }
        // Each compared model trains on the same data with its own β, and saves to its own file.
        let compared = try compare.map { path -> ExplorerApp.ComparedSetup in
            let (other, otherMetadata) = try CLIError.wrap { try WeightsFile.load(path) }
            try CLIError.wrap { try other.configuration.checkFits(ImageSet.geometry) }
            var own = configuration
            own.objective = otherMetadata.objective
            return ExplorerApp.ComparedSetup(model: other, metadata: otherMetadata, path: path,
                                             training: training.sibling(configuration: own))
        }
        return ExplorerApp.Setup(model: model, metadata: metadata, weightsDescription: description, savePath: savePath, data: data,
                                 capabilities: TerminalCapabilities(pixels: .shades, colours: false), training: training,
                                 dataName: dataName, initialMessage: message, compared: compared)
    }

    /// Labels 1...26 of the letters named by --letters (all when absent).
    static func letterLabels(_ letters: String?) throws -> [Int] {
        guard let letters, !letters.isEmpty else { return Array(1 ... 26) }
        return try letters.lowercased().map { character in
            guard let ascii = character.asciiValue, (97 ... 122).contains(ascii) else {
                throw CLIError("--letters takes letters a-z for the synthetic data, not '\(character)'")
            }
            return Int(ascii) - 96
        }
    }

    /// Weights/default.safetensors next to the package: found from the executable (.build/<config>/
    /// or .build/<triple>/<config>/ inside the package) or from the current folder.
    static func defaultWeightsPath() -> String? {
        let relative = "Weights/default.safetensors"
        var candidates: [String] = []
        if let executable = Bundle.main.executablePath {
            var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0 ..< 5 {
                candidates.append(folder.appendingPathComponent(relative).path)
                folder = folder.deletingLastPathComponent()
            }
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/" + relative)
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}
