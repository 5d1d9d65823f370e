import ExplorerCore
import Foundation
import VAE

/// The explorer's loop: read an input, hand it to the controller, take in training events, draw a
/// frame. Drawing never waits for training: events are polled, snapshots swapped in between frames.
final class ExplorerApp {
    struct Setup {
        var model: VAEModel
        var metadata: ModelMetadata
        var weightsDescription: String
        var savePath: String
        var data: ExplorerData
        var capabilities: TerminalCapabilities
        var training: TrainingSession
        var dataName: String
        var initialMessage: String
        /// Models shown beside this one (`--compare`), each trained and saved on its own.
        var compared: [ComparedSetup] = []
    }

    /// A model compared with the opened one: its weights, where s saves it, its own training.
    struct ComparedSetup {
        var model: VAEModel
        var metadata: ModelMetadata
        var path: String
        var training: TrainingSession
    }

    private let setup: Setup
    private let terminal: CursesTerminal
    private let controller: ExplorerController
    /// Per model, the opened one first: its view, training, metadata and save path.
    private let views: [ModelView]
    private let sessions: [TrainingSession]
    private let metadatas: [ModelMetadata]
    private let savePaths: [String]
    private let renderer: ExplorerRenderer
    private var frameTimer = FrameTimer()
    private var codesStale: Set<Int> = []

    init(setup: Setup, terminal: CursesTerminal) {
        self.setup = setup
        self.terminal = terminal
        let data = setup.data
        func makeView(_ model: VAEModel) -> ModelView {
            ModelView(model: model, test: data.test, reference: data.reference, testSourceIndices: data.testSourceIndices,
                      decodesInBackground: true)
        }
        views = [makeView(setup.model)] + setup.compared.map { makeView($0.model) }
        sessions = [setup.training] + setup.compared.map(\.training)
        metadatas = [setup.metadata] + setup.compared.map(\.metadata)
        savePaths = [setup.savePath] + setup.compared.map(\.path)
        var compared: ComparedModels?
        var message = setup.initialMessage
        if !setup.compared.isEmpty {
            let names = [setup.savePath] + setup.compared.map(\.path)
            compared = ComparedModels(entries: zip(views, zip(names, metadatas)).map { view, entry in
                ComparedModels.Entry(view: view, name: ((entry.0 as NSString).lastPathComponent as NSString).deletingPathExtension,
                                     summary: Self.summary(view.model, entry.1))
            })
            message = compared?.note ?? "\(views.count) models side by side: one cursor moves in all; Tab moves the focus (browse, t, s)"
        }
        controller = ExplorerController(view: views[0], catalog: data.catalog, message: message, compared: compared)
        let title = compared == nil ? "\(setup.model.configuration) · \(setup.weightsDescription)"
            : "\(views.count) models side by side (Tab: focus)"
        renderer = ExplorerRenderer(capabilities: setup.capabilities,
                                    title: "\(title) · test \(data.catalog.itemNoun): \(setup.dataName)")
    }

    /// "mlp z=2 β 1 · -ELBO 221.9" (the file's test score): what a compared pane's heading says of its model.
    static func summary(_ model: VAEModel, _ metadata: ModelMetadata) -> String {
        let kind = "\(model.configuration.kind.rawValue) z=\(model.latentDim) β \(VAEObjective.format(metadata.objective.klWeight))"
        return metadata.testLoss.map { kind + String(format: " · -ELBO %.1f", $0.total) } ?? kind
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

    /// Runs until the user quits or a termination signal arrives; returns that signal (0 for a quit).
    func run() -> Int32 {
        var needsFrame = true
        var lastStatuses = sessions.map(\.status)
        while TerminationSignals.received == 0 {
            for (index, session) in sessions.enumerated() {
                guard let snapshot = session.poll(), let model = try? snapshot.makeModel() else { continue }
                views[index].replaceModel(model, codes: snapshot.codes)
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
        case .save: save()
        case .scaleKLWeight(let factor):
            let beta = VAEObjective.format(training.scaleKLWeight(by: factor))
            controller.show(training.isActive ? "β = \(beta) from the next batch: watch the scatter (o) reorganise"
                                                    : "β = \(beta) for the next training run (t)")
        }
        return false
    }

    private func save() {
        var metadata = metadatas[focus]
        metadata.configuration = view.model.configuration
        let status = training.status
        if !status.epochs.isEmpty {
            metadata.epochs += status.epochsDone
            metadata.dataset = status.dataName
            metadata.validationLoss = status.epochs.last?.validation
            metadata.trainedAt = ISO8601DateFormatter().string(from: Date())
            metadata.objective.klWeight = status.epochs.last?.klWeight ?? status.klWeight
        }
        let model = view.model, path = savePaths[focus]
        controller.show(SaveReport.attempt(path: path) { try WeightsFile.save(model, metadata: metadata, to: path) })
    }
}
