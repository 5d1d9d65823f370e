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
    }

    private let setup: Setup
    private let terminal: CursesTerminal
    private let controller: ExplorerController
    private let view: ModelView
    private let renderer: ExplorerRenderer
    private var frameTimer = FrameTimer()
    private var codesStale = false

    init(setup: Setup, terminal: CursesTerminal) {
        self.setup = setup
        self.terminal = terminal
        view = ModelView(model: setup.model, test: setup.data.test, reference: setup.data.reference,
                         testSourceIndices: setup.data.testSourceIndices, decodesInBackground: true)
        controller = ExplorerController(view: view, catalog: setup.data.catalog, message: setup.initialMessage)
        renderer = ExplorerRenderer(capabilities: setup.capabilities,
                                    title: "\(setup.model.configuration) · \(setup.weightsDescription) · test \(setup.data.catalog.itemNoun): \(setup.dataName)")
    }

    var frameSummary: String { frameTimer.summary }

    /// Runs until the user quits or a termination signal arrives; returns that signal (0 for a quit).
    func run() -> Int32 {
        var needsFrame = true
        var lastStatus = setup.training.status
        while TerminationSignals.received == 0 {
            if let snapshot = setup.training.poll(), let model = try? snapshot.makeModel() {
                view.replaceModel(model, codes: snapshot.codes)
                if snapshot.codes != nil {
                    controller.codesRefreshed()
                    codesStale = false
                } else {
                    codesStale = true
                }
                needsFrame = true
            }
            if refreshCodesIfDue() { needsFrame = true }
            if view.takeFreshDecodes() { needsFrame = true }
            if setup.training.status != lastStatus {
                lastStatus = setup.training.status
                needsFrame = true
            }
            if needsFrame {
                drawFrame()
                needsFrame = false
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
        if view.decodesNeedAttention { return Self.decodePollMilliseconds }
        return setup.training.isActive ? 50 : 1_000
    }

    static let decodePollMilliseconds: Int32 = 5

    /// While training runs, the trainer sends the letters' codes with its snapshots (encoded on its own
    /// thread, at most every few seconds and at each epoch's end), so the UI never encodes beside it.
    /// Weights without codes that are still shown once training stopped are encoded here.
    private func refreshCodesIfDue() -> Bool {
        guard codesStale, !setup.training.isActive else { return false }
        view.refreshCodes()
        controller.codesRefreshed()
        codesStale = false
        return true
    }

    private func drawFrame() {
        let start = DispatchTime.now().uptimeNanoseconds
        let size = terminal.size
        _ = controller.handle(.resize(width: size.width, height: size.height))
        let buffer = controller.render(renderer, width: size.width, height: size.height, training: setup.training.status)
        let rendered = DispatchTime.now().uptimeNanoseconds
        terminal.paint(buffer)
        let end = DispatchTime.now().uptimeNanoseconds
        frameTimer.record(milliseconds: Double(end - start) / 1e6, renderingMilliseconds: Double(rendered - start) / 1e6,
                          whileTraining: setup.training.isActive)
    }

    /// Returns true to quit.
    private func handle(_ input: Input) -> Bool {
        let size = terminal.size
        _ = controller.handle(.resize(width: size.width, height: size.height))
        switch controller.handle(input) {
        case .none: break
        case .quit: return true
        case .toggleTraining: setup.training.toggle(model: view.model)
        case .save: save()
        case .scaleKLWeight(let factor):
            let beta = VAEObjective.format(setup.training.scaleKLWeight(by: factor))
            controller.show(setup.training.isActive ? "β = \(beta) from the next batch: watch the scatter (o) reorganise"
                                                    : "β = \(beta) for the next training run (t)")
        }
        return false
    }

    private func save() {
        var metadata = setup.metadata
        metadata.configuration = view.model.configuration
        let status = setup.training.status
        if !status.epochs.isEmpty {
            metadata.epochs += status.epochsDone
            metadata.dataset = status.dataName
            metadata.validationLoss = status.epochs.last?.validation
            metadata.trainedAt = ISO8601DateFormatter().string(from: Date())
            metadata.objective.klWeight = status.epochs.last?.klWeight ?? status.klWeight
        }
        let model = view.model
        controller.show(SaveReport.attempt(path: setup.savePath) { try WeightsFile.save(model, metadata: metadata, to: setup.savePath) })
    }
}
