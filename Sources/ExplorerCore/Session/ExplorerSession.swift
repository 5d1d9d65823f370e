import Foundation
import VAE

/// One explorer session: the models it shows (the opened one and those of `--compare`), each with its
/// view, its training run, its metadata and where `s` writes it; the focus among them; the snapshots
/// training sends; saving; and the frame. The terminal program only feeds it `Input` events and paints
/// its frames; tests drive it the same way without a terminal.
///
/// Belongs to the UI thread (not `Sendable`): training runs on threads of its own (`TrainingSession`),
/// and decoding on the views' workers; this type only polls them.
public final class ExplorerSession {
    /// Keys, mouse, the state and the status line (the focused model's view).
    public let controller: ExplorerController
    /// Per model, the opened one first.
    public let models: [SessionModel]
    /// The terminal's drawing abilities as detected, and the mode drawn now (`C` cycles).
    public let detectedCapabilities: TerminalCapabilities
    public private(set) var renderer: ExplorerRenderer
    /// The classes training here is restricted to (e.g. "aeiou"), recorded when weights are saved.
    private let classFilter: String?
    /// The models whose weights changed by training since they were opened or last saved.
    public private(set) var unsaved: Set<Int> = []
    /// Models whose snapshot came without codes: re-encoded here once their training stops.
    private var codesStale: Set<Int> = []
    private var lastStatuses: [TrainingSession.Status]
    /// What to print once the terminal is restored: where a save on the way out went.
    public private(set) var farewell: String?
    /// The clock of save file names (tests fix it).
    var now: () -> Date = Date.init

    public init(_ setup: ExplorerSetup, screen: ScreenSize) {
        let data = setup.data
        models = setup.models.map { SessionModel($0, data: data, dataName: setup.dataName) }
        classFilter = setup.classFilter
        detectedCapabilities = setup.capabilities
        let comparing = models.count > 1
        let compared = comparing ? ComparedModels(entries: models.map(\.comparedEntry)) : nil
        controller = ExplorerController(view: models[0].view, catalog: data.catalog, compared: compared)
        _ = controller.handle(.resize(width: screen.width, height: screen.height))
        var message = setup.initialMessage
        if let compared {
            message = compared.note ?? "\(models.count) models side by side: one cursor moves in all; Tab moves the focus (browse, t, s)"
        } else {
            controller.startOnTightestClass()
        }
        if !message.isEmpty { controller.show(message) }
        let title = setup.title(comparing: models.count)
        renderer = ExplorerRenderer(capabilities: setup.capabilities, titleFields: title.fields, importance: title.importance)
        lastStatuses = models.map(\.training.status)
    }

    /// The focused model's index (0 without `--compare`).
    public var focus: Int { controller.compared?.focus ?? 0 }
    public var focused: SessionModel { models[focus] }

    /// Whether any model is training (or preparing its data).
    public var isTraining: Bool { models.contains { $0.training.isActive } }

    /// How long the terminal may wait for a key: briefly while letters are decoded in the background
    /// (drawn as soon as they arrive), 50 ms while training runs, else a second.
    public var readTimeoutMilliseconds: Int32 {
        if models.contains(where: { $0.view.decodesNeedAttention }) { return Self.decodePollMilliseconds }
        return isTraining ? Self.trainingPollMilliseconds : Self.idlePollMilliseconds
    }

    static let decodePollMilliseconds: Int32 = 5
    static let trainingPollMilliseconds: Int32 = 50
    static let idlePollMilliseconds: Int32 = 1_000

    /// Applies one input; returns true to quit.
    public func handle(_ input: Input) -> Bool {
        let request = controller.handle(input)
        defer { trainingChanged() }   // Tab may have moved the focus to a model whose training differs
        switch request {
        case .quit: return true
        case .toggleTraining:
            focused.training.toggle(model: focused.view.model)
        case .save(let replacing, let thenQuit): return save(replacing: replacing, thenQuit: thenQuit)
        case .cycleColours: cycleColours()
        case .scaleKLWeight(let factor): scaleKLWeight(by: factor)
        case .saveDrawing: saveDrawing()
        default: break   // the controller did the rest
        }
        return false
    }

    /// Ctrl-C: whether to quit now (with unsaved training, the first one asks).
    public func interrupted() -> Bool { controller.interrupted() }

    /// Takes in what the background threads produced: training events and snapshots, codes to
    /// re-encode, decoded letters. Returns whether the screen changed.
    public func poll() -> Bool {
        var changed = false
        for index in models.indices {
            guard let snapshot = models[index].training.poll(), let model = try? snapshot.makeModel() else { continue }
            swapIn(model, codes: snapshot.codes, at: index)
            changed = true
        }
        if refreshStaleCodes() { changed = true }
        for model in models where model.view.takeFreshDecodes() { changed = true }
        let statuses = models.map(\.training.status)
        if statuses != lastStatuses {
            lastStatuses = statuses
            trainingChanged()
            changed = true
        }
        return changed
    }

    /// A snapshot from model `index`'s training replaces its weights (and its codes, when it carries them).
    func swapIn(_ model: VAEModel, codes: [Float]?, at index: Int) {
        models[index].view.replaceModel(model, codes: codes)
        unsaved.insert(index)
        controller.hasUnsavedTraining = true
        if codes != nil {
            if index == focus { controller.codesRefreshed() }
            codesStale.remove(index)
        } else {
            codesStale.insert(index)
        }
    }

    /// While training runs, the trainer sends codes with its snapshots (encoded on its own thread), so the
    /// UI never encodes beside it. Weights without codes still shown once training stopped are encoded here.
    private func refreshStaleCodes() -> Bool {
        let due = codesStale.filter { !models[$0].training.isActive }
        for index in due {
            models[index].view.refreshCodes()
            if index == focus { controller.codesRefreshed() }
            codesStale.remove(index)
        }
        return !due.isEmpty
    }

    /// The training panel's size follows the focused model's training (the layout, and so where a
    /// click lands, depends on it).
    private func trainingChanged() {
        controller.trainingChanged(focused.training.status)
    }

    /// The frame for the terminal's size: the model's part is prepared first (decodes, caches), then
    /// drawn from values alone.
    public func frame() -> CellBuffer {
        controller.render(renderer, training: focused.training.status)
    }

    /// Stops every model's training and waits for the threads (see `TrainingSession.stopAndWait`).
    public func stopTraining() {
        for model in models { model.training.stopAndWait() }
    }

    private func cycleColours() {
        let mode = ColourModes.next(after: renderer.capabilities, detected: detectedCapabilities)
        renderer.capabilities = mode
        let modes = ColourModes.cycle(from: detectedCapabilities).map(ColourModes.name)
        controller.show(modes.count > 1 ? "Drawn in \(ColourModes.name(mode)) (C cycles: \(modes.joined(separator: ", ")))"
                                        : "This terminal shows \(ColourModes.name(mode)) only")
    }

    /// `S` in draw mode: the prepared drawing to a new PNG beside the weights' saves.
    private func saveDrawing() {
        guard let prepared = ModelView.prepare(controller.state.drawing) else {
            controller.show("Nothing to save: the canvas holds no ink")
            return
        }
        let path = DrawingFile.path(at: now(), folder: drawingFolder)
        controller.show(DrawingFile.save(prepared, to: path))
    }

    /// Where `S` writes drawings (tests use a temporary folder).
    var drawingFolder = "."

    private func scaleKLWeight(by factor: Double) {
        let training = focused.training
        let beta = VAEObjective.format(training.scaleKLWeight(by: factor))
        controller.show(training.isActive ? "β = \(beta) from the next batch: watch the scatter (o) reorganise"
                                          : "β = \(beta) for the next training run (t)")
    }

    /// Saves the focused model's weights to its target; an existing file is replaced only once the user
    /// said so. Returns true to quit (a save on the way out that succeeded, with nothing else unsaved).
    private func save(replacing: Bool, thenQuit: Bool) -> Bool {
        let model = focused
        let date = now()
        let path = model.saveTarget.path(at: date)
        if FileManager.default.fileExists(atPath: path) && !replacing {
            controller.ask(.replaceFile(path: path, thenQuit: thenQuit))
            return false
        }
        let metadata = model.metadataToSave(classes: controller.state.catalog.entries.map(\.name), classFilter: classFilter, at: date)
        let weights = model.view.model
        let report = SaveReport.outcome(path: path) { try WeightsFile.save(weights, metadata: metadata, to: path) }
        controller.show(report.message)
        if report.saved {
            unsaved.remove(focus)
            controller.hasUnsavedTraining = !unsaved.isEmpty
        }
        guard report.saved && thenQuit else { return false }
        if !unsaved.isEmpty {
            // Comparing: the other models' training is not lost by a save of the focused one.
            controller.show(report.message + "; the other models' training is unsaved: Tab to one and s, or q then d")
            return false
        }
        farewell = report.message
        return true
    }
}
