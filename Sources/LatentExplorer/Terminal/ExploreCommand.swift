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
        let setup = try makeSetup()
        let terminal = CursesTerminal(onTake: TerminalRestore.arm, onGiveBack: TerminalRestore.disarm)
        TerminationSignals.install()
        try Self.terminalCheck { try terminal.start(useColour: ProcessInfo.processInfo.environment["NO_COLOR"] == nil) }
        var setupWithTerminal = setup
        setupWithTerminal.capabilities = TerminalCapabilities.choose(
            colourCount: terminal.colourCount, noColour: ProcessInfo.processInfo.environment["NO_COLOR"] != nil, asciiOnly: ascii,
            unicode: terminal.isUnicode)
        let app = ExplorerApp(setup: setupWithTerminal, terminal: terminal)
        defer { terminal.stop() }   // also when something below throws
        let signal = app.run()
        terminal.stop()
        if let farewell = app.farewell { print(farewell) }
        app.stopTraining()
        if frameStats { FileHandle.printError(app.frameSummary) }
        if signal != 0 { throw ExitCode(128 + signal) }
    }

    /// Loads weights and data before the terminal is taken, so any error prints as a plain line.
    private func makeSetup() throws -> ExplorerApp.Setup {
        let weightsPath = weights ?? Self.defaultWeightsPath()
        var model: VAEModel
        var metadata: ModelMetadata
        var weightsField: String
        var trainedField = ""
        var message = ""
        if let weightsPath {
            (model, metadata) = try CLIError.wrap { try WeightsFile.load(weightsPath) }
            try CLIError.wrap { try model.configuration.checkFits(ImageSet.geometry) }
            weightsField = TextSanitizer.clean((weightsPath as NSString).lastPathComponent)
            trainedField = TextSanitizer.clean(metadata.layoutNote ?? "trained on \(metadata.dataset), \(metadata.epochs) epochs")
        } else {
            model = VAEModel(seed: 0)
            metadata = ModelMetadata(configuration: model.configuration)
            weightsField = "untrained"
            message = "No pretrained weights found (Weights/default.safetensors): this model is untrained; press t to train it"
        }
        if model.latentDim == 1 && message.isEmpty { message = "A 1-D model: the plane shows z1 across (every row is the same)" }
        let saveTarget = SaveTarget.choose(saveTo: saveTo, weightsPath: weightsPath)
        if case .file(let path) = saveTarget, let refusal = SaveTarget.refusal(for: path, protectedFolders: Self.shippedWeightsFolders()) {
            throw CLIError(refusal)
        }

        let source = dataOptions.source
        let classes = try classFilter(model: metadata)
        let data: ExplorerData, dataName: String
        let training: TrainingSession
        // Training continues with the β the weights were trained with ({ and } change it).
        let configuration = TrainingConfiguration(epochs: epochs, objective: metadata.objective)
        switch source {
        case .synthetic:
            let keep = try Self.letterLabels(classes.letters)
            dataName = "synthetic letters" + classes.suffix
            data = ExplorerData(test: SyntheticLetters.makeImageSet(count: testCount, seed: ExplorerData.syntheticTestSeed, labels: keep),
                                reference: SyntheticLetters.makeImageSet(count: ExplorerData.syntheticReferenceCount,
                                                                         seed: ExplorerData.syntheticReferenceSeed, labels: keep),
                                classNames: LabelledDataset.letterClassNames, name: dataName)
            let (trainCount, testCount) = (trainCount, testCount)
            training = TrainingSession(dataName: "synthetic letters (\(trainCount))" + classes.suffix, configuration: configuration,
                                       codeImages: data.codeImages) {
                LabelledDataset(name: "synthetic-letters", train: SyntheticLetters.makeImageSet(count: trainCount, seed: 1, labels: keep),
                                test: SyntheticLetters.makeImageSet(count: testCount, seed: ExplorerData.syntheticTestSeed, labels: keep),
                                classNames: LabelledDataset.letterClassNames)
            }
        case .directory, .mixture:
            var dataset = try dataOptions.load()
            if dataOptions.letters == nil, let letters = classes.letters {
                dataset = try CLIError.wrap { try dataset.restricted(toClassNames: letters.map { String($0) }) }
                dataset.name += classes.suffix
            }
            var explorerData = ExplorerData(dataset: dataset, testCount: testCount)
            if case .directory = source { explorerData.testImagesAreReal = true }
            data = explorerData
            dataName = dataset.name
            let trainingSet = dataset
            training = TrainingSession(dataName: dataset.name, configuration: configuration, codeImages: data.codeImages) { trainingSet }
        }
        if let mismatch = Self.kindMismatch(model: metadata, data: data.catalog, dataName: dataName) {
            message = mismatch
        } else if message.isEmpty, let note = classes.note {
            message = note
        }
        try CLIError.wrap { try data.checkClasses(of: model) }
        let testField = "test \(data.catalog.itemNoun): \(dataName)"
        // Display order: model, weights file, what it was trained on, the test data. Kept first: the
        // weights file, the test data, the model; the training history goes first when room is short.
        let fields = [model.configuration.description, weightsField, trainedField, testField].filter { !$0.isEmpty }
        let importance = [weightsField, testField, model.configuration.description, trainedField].compactMap { fields.firstIndex(of: $0) }
        // Each compared model trains on the same data with its own β, and saves to a new file of its own.
        let compared = try compare.map { path -> ExplorerApp.ComparedSetup in
            let (other, otherMetadata) = try CLIError.wrap { try WeightsFile.load(path) }
            try CLIError.wrap { try other.configuration.checkFits(ImageSet.geometry) }
            try CLIError.wrap { try data.checkClasses(of: other) }
            var own = configuration
            own.objective = otherMetadata.objective
            return ExplorerApp.ComparedSetup(model: other, metadata: otherMetadata, path: path,
                                             training: training.sibling(configuration: own))
        }
        return ExplorerApp.Setup(model: model, metadata: metadata, titleFields: fields, titleImportance: importance, saveTarget: saveTarget,
                                 data: data, capabilities: TerminalCapabilities(pixels: .shades, colours: false), training: training,
                                 dataName: dataName, initialMessage: message, classFilter: classes.letters,
                                 weightsName: weightsField, compared: compared)
    }

    /// The classes to show: those of `--letters`; else, unless `--all-classes`, the model's own subset
    /// (its metadata's `classes`, when they are fewer letters than the alphabet). `suffix` names the
    /// subset for titles, `note` explains it on the status line.
    private func classFilter(model metadata: ModelMetadata) throws -> (letters: String?, suffix: String, note: String?) {
        if let letters = dataOptions.letters, !letters.isEmpty { return (letters, ", classes \(letters)", nil) }
        guard !allClasses else { return (nil, "", nil) }
        let names = metadata.classes
        let alphabet = LabelledDataset.letterClassNames.values
        guard !names.isEmpty, names.count < alphabet.count, names.allSatisfy({ alphabet.contains($0.lowercased()) }) else {
            return (nil, "", nil)
        }
        let letters = names.joined()
        return (letters, ", classes \(letters)",
                "This model was trained on the classes \(letters) only: shown are those (--all-classes shows every class)")
    }

    /// One line when the model was trained on classes that the test data do not have (a letters model
    /// opened on Fashion-MNIST), else nil.
    static func kindMismatch(model metadata: ModelMetadata, data catalog: ClassCatalog, dataName: String) -> String? {
        guard !metadata.classes.isEmpty else { return nil }
        let modelClasses = Set(metadata.classes.map { $0.lowercased() })
        let dataClasses = Set((catalog.entries.map(\.name) + catalog.emptyClassNames).map { $0.lowercased() })
        guard !dataClasses.isEmpty, modelClasses.isDisjoint(with: dataClasses) else { return nil }
        let names = metadata.classes
        let kind: String
        if names.allSatisfy({ $0.count == 1 && $0.first!.isLetter }) {
            kind = "letters"
        } else if names.allSatisfy({ $0.count == 1 && $0.first!.isNumber }) {
            kind = "digits"
        } else {
            kind = metadata.dataset.split(whereSeparator: { $0 == " " || $0 == "," }).first.map(String.init) ?? "other"
        }
        return "A \(kind) model on \(catalog.itemNoun) (\(dataName)): its codes and votes may mean little here"
    }

    /// The folder of the shipped weights, which the explorer never writes into.
    static func shippedWeightsFolders() -> [String] {
        defaultWeightsPath().map { [($0 as NSString).deletingLastPathComponent] } ?? []
    }

    /// Labels 1...26 of the letters named by --letters (all when absent).
    static func letterLabels(_ letters: String?) throws -> [Int] {
        guard let letters, !letters.isEmpty else { return Array(LabelledDataset.letterLabels) }
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
