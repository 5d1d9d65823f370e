import Foundation
import VAE

/// What an explorer session opens, loaded before the terminal is taken (so any error is a plain line):
/// the models, the letters shown, the title bar's fields and the first status line.
public struct ExplorerSetup {
    /// The opened model first, then those of `--compare`.
    public var models: [OpenedModel]
    public var data: ExplorerData
    /// The test data's name, e.g. "synthetic letters" or "emnist-letters (idx)".
    public var dataName: String
    /// The title bar's fields in display order, and their importance (indices, most important first).
    public var titleFields: [String]
    public var titleImportance: [Int]
    public var capabilities: TerminalCapabilities
    public var initialMessage: String
    /// The classes training here is restricted to (e.g. "aeiou"), recorded when the weights are saved.
    public var classFilter: String?

    public init(models: [OpenedModel], data: ExplorerData, dataName: String, titleFields: [String], titleImportance: [Int],
                capabilities: TerminalCapabilities = TerminalCapabilities(pixels: .shades, colours: false),
                initialMessage: String = "", classFilter: String? = nil) {
        precondition((1 ... ComparedModels.maximumCount).contains(models.count), "1 to 4 models")
        self.models = models
        self.data = data
        self.dataName = dataName
        self.titleFields = titleFields
        self.titleImportance = titleImportance
        self.capabilities = capabilities
        self.initialMessage = initialMessage
        self.classFilter = classFilter
    }

    /// The title bar: comparing, it names the panes' count (each pane's heading names its model) and
    /// the test data.
    func title(comparing count: Int) -> (fields: [String], importance: [Int]) {
        guard count > 1 else { return (titleFields, titleImportance) }
        return (["\(count) models side by side (Tab: focus)"] + titleFields.suffix(1), [1, 0])
    }

    /// The title bar's fields for `model` opened from the weights named `weightsField`, trained as
    /// `trainedField` says, on test data named `dataName`. Display order: model, weights file, what it
    /// was trained on, the test data. Kept first: the weights file, the test data, the model; the
    /// training history goes first when room is short.
    public static func titleFields(model: VAEModel, weightsField: String, trainedField: String, testField: String)
        -> (fields: [String], importance: [Int]) {
        let fields = [model.configuration.description, weightsField, trainedField, testField].filter { !$0.isEmpty }
        let importance = [weightsField, testField, model.configuration.description, trainedField].compactMap { fields.firstIndex(of: $0) }
        return (fields, importance)
    }

    /// One line when the model was trained on classes that the test data do not have (a letters model
    /// opened on Fashion-MNIST), else nil.
    public static func kindMismatch(model metadata: ModelMetadata, data catalog: ClassCatalog, dataName: String) -> String? {
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
}

/// A model as opened: its weights and metadata, the name of its pane, its training and where `s`
/// writes it.
public struct OpenedModel {
    public var model: VAEModel
    public var metadata: ModelMetadata
    /// The weight file's name without its extension (e.g. "letters-16d"), or "untrained".
    public var name: String
    public var saveTarget: SaveTarget
    public var training: TrainingSession

    public init(model: VAEModel, metadata: ModelMetadata, name: String, saveTarget: SaveTarget, training: TrainingSession) {
        self.model = model
        self.metadata = metadata
        self.name = name
        self.saveTarget = saveTarget
        self.training = training
    }
}

/// One model of a session: its view (codes, decoded letters), its training and what saving it needs.
public struct SessionModel {
    public let view: ModelView
    public let training: TrainingSession
    /// The metadata the weights were opened with.
    public let metadata: ModelMetadata
    public let name: String
    public let saveTarget: SaveTarget
    /// Why this model's figures may mean little on the data shown (a digits model on letters).
    public let warning: String?

    init(_ opened: OpenedModel, data: ExplorerData, dataName: String) {
        view = ModelView(model: opened.model, test: data.test, reference: data.reference, testSourceIndices: data.testSourceIndices,
                         testImagesAreReal: data.testImagesAreReal, decodesInBackground: true, classNames: data.classNames)
        training = opened.training
        metadata = opened.metadata
        name = opened.name
        saveTarget = opened.saveTarget
        warning = ExplorerSetup.kindMismatch(model: opened.metadata, data: data.catalog, dataName: dataName)
    }

    var comparedEntry: ComparedModels.Entry {
        ComparedModels.Entry(view: view, name: name, summary: ComparedModels.summary(view.model, metadata), warning: warning)
    }

    /// The metadata written with the weights shown: the opened file's, with the configuration shown and,
    /// when this session trained them, the epochs added, the data, the classes (`classes`, restricted to
    /// `classFilter`), the last validation loss, the time and the β of the last epoch.
    func metadataToSave(classes: [String], classFilter: String?, at date: Date) -> ModelMetadata {
        var saved = metadata
        saved.configuration = view.model.configuration
        let status = training.status
        guard !status.epochs.isEmpty else { return saved }
        saved.epochs += status.epochsDone
        saved.dataset = status.dataName
        saved.classes = classes
        saved.classFilter = classFilter
        saved.validationLoss = status.epochs.last?.validation
        saved.trainedAt = ISO8601DateFormatter().string(from: date)
        saved.objective.klWeight = status.epochs.last?.klWeight ?? status.klWeight
        return saved
    }
}
