import ExplorerCore
import Foundation
import LetterData
import Support
import VAE

/// What `explore` opens, loaded before the terminal is taken: the weights (and those of `--compare`),
/// the letters shown and trained on, the classes, where `s` saves.
extension ExploreCommand {
    /// The opened weights (the shipped default unless `--weights`; an untrained model without either),
    /// with the title bar's fields and the first status line they call for.
    private struct Opened {
        var model: VAEModel
        var metadata: ModelMetadata
        var path: String?
        var weightsField: String
        var trainedField = ""
        var message = ""
    }

    private func openWeights() throws -> Opened {
        guard let path = weights ?? Self.defaultWeightsPath() else {
            let model = VAEModel(seed: 0)
            return Opened(model: model, metadata: ModelMetadata(configuration: model.configuration), path: nil, weightsField: "untrained",
                          message: "No pretrained weights found (Weights/default.safetensors): this model is untrained; press t to train it")
        }
        let (model, metadata) = try CLIError.wrap { try WeightsFile.load(path) }
        try CLIError.wrap { try model.configuration.checkFits(ImageSet.geometry) }
        var opened = Opened(model: model, metadata: metadata, path: path, weightsField: TextSanitizer.clean((path as NSString).lastPathComponent))
        opened.trainedField = TextSanitizer.clean(metadata.layoutNote ?? "trained on \(metadata.dataset), \(metadata.epochs) epochs")
        if model.latentDim == 1 { opened.message = "A 1-D model: the plane shows z1 across (every row is the same)" }
        return opened
    }

    /// Loads weights and data before the terminal is taken, so any error prints as a plain line.
    func makeSetup() throws -> ExplorerSetup {
        let opened = try openWeights()
        let saveTarget = SaveTarget.choose(saveTo: saveTo, weightsPath: opened.path)
        if case .file(let path) = saveTarget, let refusal = SaveTarget.refusal(for: path, protectedFolders: Self.shippedWeightsFolders()) {
            throw CLIError(refusal)
        }
        let classes = try classFilter(model: opened.metadata)
        // Training continues with the β the weights were trained with ({ and } change it).
        let configuration = TrainingConfiguration(epochs: epochs, objective: opened.metadata.objective)
        let (data, dataName, training) = try loadData(classes: classes, configuration: configuration)
        var message = opened.message
        if let mismatch = ExplorerSetup.kindMismatch(model: opened.metadata, data: data.catalog, dataName: dataName) {
            message = mismatch
        } else if message.isEmpty, let note = classes.note {
            message = note
        }
        try CLIError.wrap { try data.checkClasses(of: opened.model) }
        let title = ExplorerSetup.titleFields(model: opened.model, weightsField: opened.weightsField, trainedField: opened.trainedField,
                                              testField: "test \(data.catalog.itemNoun): \(dataName)")
        let first = OpenedModel(model: opened.model, metadata: opened.metadata, name: (opened.weightsField as NSString).deletingPathExtension,
                                saveTarget: saveTarget, training: training)
        let compared = try compare.map { try openCompared($0, data: data, training: training, configuration: configuration) }
        return ExplorerSetup(models: [first] + compared, data: data, dataName: dataName, titleFields: title.fields,
                             titleImportance: title.importance, initialMessage: message, classFilter: classes.letters)
    }

    /// A model of `--compare`: it trains on the same data with its own β, and saves to a new file of its own.
    private func openCompared(_ path: String, data: ExplorerData, training: TrainingSession,
                              configuration: TrainingConfiguration) throws -> OpenedModel {
        let (model, metadata) = try CLIError.wrap { try WeightsFile.load(path) }
        try CLIError.wrap { try model.configuration.checkFits(ImageSet.geometry) }
        try CLIError.wrap { try data.checkClasses(of: model) }
        var own = configuration
        own.objective = metadata.objective
        let name = TextSanitizer.clean(((path as NSString).lastPathComponent as NSString).deletingPathExtension)
        return OpenedModel(model: model, metadata: metadata, name: name, saveTarget: SaveTarget.choose(saveTo: nil, weightsPath: path),
                           training: training.sibling(configuration: own))
    }

    /// The letters shown and trained on: the built-in synthetic letters or a data set's (restricted to
    /// the model's classes unless `--letters` or `--all-classes` says otherwise).
    private func loadData(classes: ClassChoice, configuration: TrainingConfiguration) throws
        -> (data: ExplorerData, dataName: String, training: TrainingSession) {
        let source = dataOptions.source
        if case .synthetic = source {
            let keep = try Self.letterLabels(classes.letters)
            let dataName = "synthetic letters" + classes.suffix
            let data = ExplorerData(test: SyntheticLetters.makeImageSet(count: testCount, seed: ExplorerData.syntheticTestSeed, labels: keep),
                                    reference: SyntheticLetters.makeImageSet(count: ExplorerData.syntheticReferenceCount,
                                                                             seed: ExplorerData.syntheticReferenceSeed, labels: keep),
                                    classNames: LabelledDataset.letterClassNames, name: dataName)
            let (trainCount, testCount) = (trainCount, testCount)
            let training = TrainingSession(dataName: "synthetic letters (\(trainCount))" + classes.suffix, configuration: configuration,
                                           codeImages: data.codeImages) {
                LabelledDataset(name: "synthetic-letters", train: SyntheticLetters.makeImageSet(count: trainCount, seed: 1, labels: keep),
                                test: SyntheticLetters.makeImageSet(count: testCount, seed: ExplorerData.syntheticTestSeed, labels: keep),
                                classNames: LabelledDataset.letterClassNames)
            }
            return (data, dataName, training)
        }
        var dataset = try dataOptions.load()
        if dataOptions.letters == nil, let letters = classes.letters {
            dataset = try CLIError.wrap { try dataset.restricted(toClassNames: letters.map { String($0) }) }
            dataset.name += classes.suffix
        }
        var data = ExplorerData(dataset: dataset, testCount: testCount)
        if case .directory = source { data.testImagesAreReal = true }
        let trainingSet = dataset
        return (data, dataset.name, TrainingSession(dataName: dataset.name, configuration: configuration, codeImages: data.codeImages) { trainingSet })
    }

    /// The classes to show, with a suffix naming them for titles and a note for the status line.
    private typealias ClassChoice = (letters: String?, suffix: String, note: String?)

    /// The classes to show: those of `--letters`; else, unless `--all-classes`, the model's own subset
    /// (its metadata's `classes`, when they are fewer letters than the alphabet). `suffix` names the
    /// subset for titles, `note` explains it on the status line.
    private func classFilter(model metadata: ModelMetadata) throws -> ClassChoice {
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
