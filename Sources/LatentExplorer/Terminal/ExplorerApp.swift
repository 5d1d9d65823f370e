import ExplorerCore
import Foundation
import VAE

/// The explorer's loop: read a key, apply it to the state, take in training events, draw a frame.
/// Drawing never waits for training: events are polled, snapshots swapped in between frames.
final class ExplorerApp {
    struct Setup {
        var model: VAEModel
        var metadata: ModelMetadata
        var weightsDescription: String
        var savePath: String
        var test: ImageSet
        var reference: ImageSet
        var catalog: ClassCatalog
        var capabilities: TerminalCapabilities
        var training: TrainingSession
        var dataName: String
        var initialMessage: String
    }

    private let setup: Setup
    private let terminal: CursesTerminal
    private var state: ExplorerState
    private let view: ModelView
    private let renderer: ExplorerRenderer
    private var message: String
    private var frameTimer = FrameTimer()
    private var lastCodesRefresh = Date()
    private var codesStale = false

    init(setup: Setup, terminal: CursesTerminal) {
        self.setup = setup
        self.terminal = terminal
        state = ExplorerState(catalog: setup.catalog)
        view = ModelView(model: setup.model, test: setup.test, reference: setup.reference)
        renderer = ExplorerRenderer(capabilities: setup.capabilities,
                                    title: "\(setup.model.configuration) · \(setup.weightsDescription) · test letters: \(setup.dataName)")
        message = setup.initialMessage
    }

    var frameSummary: String { frameTimer.summary }

    /// Runs until the user quits or a termination signal arrives; returns that signal (0 for a quit).
    func run() -> Int32 {
        var needsFrame = true
        var lastStatus = setup.training.status
        while TerminationSignals.received == 0 {
            if let snapshot = setup.training.poll(), let model = try? snapshot.makeModel() {
                view.replaceModel(model)
                codesStale = true
                needsFrame = true
            }
            refreshCodesIfDue()
            if setup.training.status != lastStatus {
                lastStatus = setup.training.status
                needsFrame = true
            }
            if needsFrame {
                drawFrame()
                needsFrame = false
            }
            let input = terminal.readKey(timeoutMilliseconds: setup.training.isActive ? 50 : 1_000)
            switch input {
            case .none: continue
            case .resize: needsFrame = true
            case .key(let key):
                needsFrame = true
                if handle(key) { return 0 }
            }
        }
        return TerminationSignals.received
    }

    /// Re-encodes the test and reference letters after new weights: at once when training is idle,
    /// at most every 5 s while it runs (it costs tens of milliseconds).
    private func refreshCodesIfDue() {
        guard codesStale else { return }
        guard !setup.training.isActive || Date().timeIntervalSince(lastCodesRefresh) > 5 else { return }
        view.refreshCodes()
        lastCodesRefresh = Date()
        codesStale = false
    }

    private func drawFrame() {
        let start = DispatchTime.now().uptimeNanoseconds
        let size = terminal.size
        let buffer = renderer.render(width: size.width, height: size.height, state: state, view: view,
                                     training: setup.training.status, message: message)
        terminal.paint(buffer)
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        frameTimer.record(milliseconds: milliseconds, whileTraining: setup.training.isActive)
    }

    /// Returns true to quit.
    private func handle(_ key: Key) -> Bool {
        if Layout(width: terminal.size.width, height: terminal.size.height) == nil {
            return key == .character("q") || key == .escape
        }
        switch state.apply(key) {
        case .none: break
        case .quit: return true
        case .toggleTraining:
            setup.training.toggle(model: view.model)
            message = ""
        case .save: save()
        case .jumpToBrowsedLetter:
            if let index = state.selectedTestIndex { state.jump(to: view.testCode(index)) }
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
        }
        do {
            try WeightsFile.save(view.model, metadata: metadata, to: setup.savePath)
            message = "Saved the weights to \(setup.savePath)"
        } catch {
            message = "Could not save: \(error)"
        }
    }
}
