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
                         testSourceIndices: setup.data.testSourceIndices, testImagesAreReal: setup.data.testImagesAreReal,
                         decodesInBackground: true)
        controller = ExplorerController(view: view, catalog: setup.data.catalog)
        _ = controller.handle(.resize(width: terminal.size.width, height: terminal.size.height))
        controller.startOnTightestClass()
        if !setup.initialMessage.isEmpty { controller.show(setup.initialMessage) }
        renderer = ExplorerRenderer(capabilities: setup.capabilities, titleFields: setup.titleFields, importance: setup.titleImportance)
    }

    var frameSummary: String { frameTimer.summary }

    /// What to print once the terminal is restored: where a save on the way out went.
    private(set) var farewell: String?

    /// Runs until the user quits or a termination signal arrives; returns that signal (0 for a quit).
    func run() -> Int32 {
        var needsFrame = true
        var lastStatus = setup.training.status
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
            if let snapshot = setup.training.poll(), let model = try? snapshot.makeModel() {
                view.replaceModel(model, codes: snapshot.codes)
                controller.hasUnsavedTraining = true
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
        case .save(let replacing, let thenQuit): return save(replacing: replacing, thenQuit: thenQuit)
        }
        return false
    }

    /// Saves the weights shown to the save target; an existing file is replaced only once the user
    /// said so. Returns true to quit (a save on the way out that succeeded).
    private func save(replacing: Bool, thenQuit: Bool) -> Bool {
        let path = setup.saveTarget.path(at: Date())
        if FileManager.default.fileExists(atPath: path) && !replacing {
            controller.ask(.replaceFile(path: path, thenQuit: thenQuit))
            return false
        }
        var metadata = setup.metadata
        metadata.configuration = view.model.configuration
        let status = setup.training.status
        if !status.epochs.isEmpty {
            metadata.epochs += status.epochsDone
            metadata.dataset = status.dataName
            metadata.classes = setup.data.catalog.entries.map(\.name)
            metadata.classFilter = setup.classFilter
            metadata.validationLoss = status.epochs.last?.validation
            metadata.trainedAt = ISO8601DateFormatter().string(from: Date())
        }
        let model = view.model
        let report = SaveReport.outcome(path: path) { try WeightsFile.save(model, metadata: metadata, to: path) }
        controller.show(report.message)
        if report.saved { controller.hasUnsavedTraining = false }
        if report.saved && thenQuit { farewell = report.message }
        return report.saved && thenQuit
    }
}
