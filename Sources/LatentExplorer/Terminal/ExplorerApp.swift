import CursesScreen
import ExplorerCore
import Foundation
import VAE

/// The explorer's loop: read an input, hand it to the controller, take in training events, draw a
/// frame. Drawing never waits for training: events are polled, snapshots swapped in between frames.
final class ExplorerApp {
    struct Setup {
        var model: VAEModel
        var metadata: ModelMetadata
        /// The title bar's fields in display order, and their importance (indices, most important first).
        var titleFields: [String]
        var titleImportance: [Int]
        /// Where `s` saves: a fixed file (`--save-to`), or a new file named after the model and the time.
        var saveTarget: SaveTarget
        var data: ExplorerData
        var capabilities: TerminalCapabilities
        var training: TrainingSession
        var dataName: String
        var initialMessage: String
        /// The classes training here is restricted to (e.g. "aeiou"), recorded when the weights are saved.
        var classFilter: String?
        /// The opened weights' file name (or "untrained"), naming its pane when comparing.
        var weightsName: String
        /// Models shown beside this one (`--compare`), each trained and saved on its own.
        var compared: [ComparedSetup] = []
    }

    /// A model compared with the opened one: its weights, the file it came from, its own training. Its
    /// `s` writes a new file named after that one (never the file itself).
    struct ComparedSetup {
        var model: VAEModel
        var metadata: ModelMetadata
        var path: String
        var training: TrainingSession
    }

    private let setup: Setup
    private let terminal: CursesTerminal
    private let controller: ExplorerController
    /// Per model, the opened one first: its view, training, metadata and where `s` writes it.
    private let views: [ModelView]
    private let sessions: [TrainingSession]
    private let metadatas: [ModelMetadata]
    private let saveTargets: [SaveTarget]
    /// The models whose weights changed by training since they were opened or last saved.
    private var unsaved: Set<Int> = []
    private var renderer: ExplorerRenderer
    private let rendererFields: (titles: [String], importance: [Int])
    private var frameTimer = FrameTimer()
    private var codesStale: Set<Int> = []

    init(setup: Setup, terminal: CursesTerminal) {
        self.setup = setup
        self.terminal = terminal
        let data = setup.data
        func makeView(_ model: VAEModel) -> ModelView {
            ModelView(model: model, test: data.test, reference: data.reference, testSourceIndices: data.testSourceIndices,
                      testImagesAreReal: data.testImagesAreReal, decodesInBackground: true, classNames: data.classNames)
        }
        views = [makeView(setup.model)] + setup.compared.map { makeView($0.model) }
        sessions = [setup.training] + setup.compared.map(\.training)
        metadatas = [setup.metadata] + setup.compared.map(\.metadata)
        saveTargets = [setup.saveTarget] + setup.compared.map { SaveTarget.choose(saveTo: nil, weightsPath: $0.path) }
        var compared: ComparedModels?
        var message = setup.initialMessage
        if !setup.compared.isEmpty {
            let names = [setup.weightsName] + setup.compared.map { ($0.path as NSString).lastPathComponent }
            compared = ComparedModels(entries: zip(views, zip(names, metadatas)).map { view, entry in
                ComparedModels.Entry(view: view, name: (entry.0 as NSString).deletingPathExtension,
                                     summary: Self.summary(view.model, entry.1),
                                     warning: ExploreCommand.kindMismatch(model: entry.1, data: setup.data.catalog, dataName: setup.dataName))
            })
            message = compared?.note ?? "\(views.count) models side by side: one cursor moves in all; Tab moves the focus (browse, t, s)"
        }
        controller = ExplorerController(view: views[0], catalog: data.catalog, compared: compared)
        _ = controller.handle(.resize(width: terminal.size.width, height: terminal.size.height))
        if compared == nil { controller.startOnTightestClass() }
        if !message.isEmpty { controller.show(message) }
        // Comparing, the title names the panes' count; each pane's heading names its model.
        let fields = compared == nil ? setup.titleFields : ["\(views.count) models side by side (Tab: focus)"] + setup.titleFields.suffix(1)
        let importance = compared == nil ? setup.titleImportance : [1, 0]
        renderer = ExplorerRenderer(capabilities: setup.capabilities, titleFields: fields, importance: importance)
        rendererFields = (fields, importance)
    }

    /// "mlp z=2 β 1 · -ELBO 221.9" (the file's test score): what a compared pane's heading says of its model.
    static func summary(_ model: VAEModel, _ metadata: ModelMetadata) -> String {
        ComparedModels.summary(model, metadata)
    }

    /// The focused model's index (0 without `--compare`), its view and its training.
    private var focus: Int { controller.compared?.focus ?? 0 }
    private var view: ModelView { views[focus] }
    private var training: TrainingSession { sessions[focus] }

    var frameSummary: String { frameTimer.summary }

    /// Stops every model's training and waits for the threads (see `TrainingSession.stopAndWait`).
    func stopTraining() {
        for session in sessions { session.stopAndWait() }
    }

    /// What to print once the terminal is restored: where a save on the way out went.
    private(set) var farewell: String?

    /// Runs until the user quits or a termination signal arrives; returns that signal (0 for a quit).
    func run() -> Int32 {
        var needsFrame = true
        var lastStatuses = sessions.map(\.status)
        var interruptsSeen: Int32 = 0
        while TerminationSignals.received == 0 {
            let interrupts = TerminationSignals.interrupts
            if interrupts > interruptsSeen {
                // Two presses between two looks at the count are Ctrl-C twice.
                let twice = interrupts - interruptsSeen >= 2
                interruptsSeen = interrupts
                if twice || controller.interrupted() { return SIGINT }
                needsFrame = true
            }
            for (index, session) in sessions.enumerated() {
                guard let snapshot = session.poll(), let model = try? snapshot.makeModel() else { continue }
                views[index].replaceModel(model, codes: snapshot.codes)
                unsaved.insert(index)
                controller.hasUnsavedTraining = true
                if snapshot.codes != nil {
                    if index == focus { controller.codesRefreshed() }
                    codesStale.remove(index)
                } else {
                    codesStale.insert(index)
                }
                needsFrame = true
            }
            if refreshCodesIfDue() { needsFrame = true }
            for view in views where view.takeFreshDecodes() { needsFrame = true }
            let statuses = sessions.map(\.status)
            if statuses != lastStatuses {
                lastStatuses = statuses
                needsFrame = true
            }
            if needsFrame {
                drawFrame()
                needsFrame = false
                DeliberateCrash.fireIfArmed()
            }
            let input = terminal.readInput(timeoutMilliseconds: readTimeout)
            switch input {
            case .none: continue
            case .resize: needsFrame = true
            case .key(let key):
                needsFrame = true
                if handle(.key(key)) { return 0 }
            case .mouse(let event):
                needsFrame = true
                if handle(.mouse(event)) { return 0 }
            }
        }
        return TerminationSignals.received
    }

    /// How long a key read may wait: briefly while letters are decoded in the background (their
    /// pictures are drawn as soon as they arrive), 50 ms while training runs, else a second.
    private var readTimeout: Int32 {
        if views.contains(where: \.decodesNeedAttention) { return Self.decodePollMilliseconds }
        return sessions.contains(where: \.isActive) ? 50 : 1_000
    }

    static let decodePollMilliseconds: Int32 = 5

    /// While training runs, the trainer sends the letters' codes with its snapshots (encoded on its own
    /// thread, at most every few seconds and at each epoch's end), so the UI never encodes beside it.
    /// Weights without codes that are still shown once training stopped are encoded here.
    private func refreshCodesIfDue() -> Bool {
        let due = codesStale.filter { !sessions[$0].isActive }
        for index in due {
            views[index].refreshCodes()
            if index == focus { controller.codesRefreshed() }
            codesStale.remove(index)
        }
        return !due.isEmpty
    }

    private func drawFrame() {
        let start = DispatchTime.now().uptimeNanoseconds
        let size = terminal.size
        _ = controller.handle(.resize(width: size.width, height: size.height))
        let buffer = controller.render(renderer, width: size.width, height: size.height, training: training.status)
        let rendered = DispatchTime.now().uptimeNanoseconds
        terminal.paint(buffer)
        let end = DispatchTime.now().uptimeNanoseconds
        frameTimer.record(milliseconds: Double(end - start) / 1e6, renderingMilliseconds: Double(rendered - start) / 1e6,
                          whileTraining: sessions.contains(where: \.isActive))
    }

    /// Returns true to quit.
    private func handle(_ input: Input) -> Bool {
        let size = terminal.size
        _ = controller.handle(.resize(width: size.width, height: size.height))
        switch controller.handle(input) {
        case .none: break
        case .quit: return true
        case .toggleTraining: training.toggle(model: view.model)
        case .save(let replacing, let thenQuit): return save(replacing: replacing, thenQuit: thenQuit)
        case .cycleColours:
            let mode = ColourModes.next(after: renderer.capabilities, detected: setup.capabilities)
            renderer = ExplorerRenderer(capabilities: mode, titleFields: rendererFields.titles, importance: rendererFields.importance)
            let modes = ColourModes.cycle(from: setup.capabilities).map(ColourModes.name)
            controller.show(modes.count > 1 ? "Drawn in \(ColourModes.name(mode)) (C cycles: \(modes.joined(separator: ", ")))"
                                            : "This terminal shows \(ColourModes.name(mode)) only")
        case .scaleKLWeight(let factor):
            let beta = VAEObjective.format(training.scaleKLWeight(by: factor))
            controller.show(training.isActive ? "β = \(beta) from the next batch: watch the scatter (o) reorganise"
                                                    : "β = \(beta) for the next training run (t)")
        }
        return false
    }

    /// Saves the weights shown to the save target; an existing file is replaced only once the user
    /// said so. Returns true to quit (a save on the way out that succeeded).
    private func save(replacing: Bool, thenQuit: Bool) -> Bool {
        let path = saveTargets[focus].path(at: Date())
        if FileManager.default.fileExists(atPath: path) && !replacing {
            controller.ask(.replaceFile(path: path, thenQuit: thenQuit))
            return false
        }
        var metadata = metadatas[focus]
        metadata.configuration = view.model.configuration
        let status = training.status
        if !status.epochs.isEmpty {
            metadata.epochs += status.epochsDone
            metadata.dataset = status.dataName
            metadata.classes = setup.data.catalog.entries.map(\.name)
            metadata.classFilter = setup.classFilter
            metadata.validationLoss = status.epochs.last?.validation
            metadata.trainedAt = ISO8601DateFormatter().string(from: Date())
            metadata.objective.klWeight = status.epochs.last?.klWeight ?? status.klWeight
        }
        let model = view.model
        let report = SaveReport.outcome(path: path) { try WeightsFile.save(model, metadata: metadata, to: path) }
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
