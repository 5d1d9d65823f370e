import Foundation
import Support
import LetterData
import Synchronization
import VAE

/// The explorer's training: prepares the data set and trains a copy of the model on a background
/// thread, started, paused and resumed with one key. The UI polls; it never waits for training.
///
/// Belongs to the UI thread (not `Sendable`). Each start makes a `TrainingRun` that owns the training
/// thread; the model copy moves to that thread, and the two sides share only the run's `Sendable`
/// channel, control and error slot.
public final class TrainingSession {
    /// Where the explorer's training is: idle, preparing the data, running, paused or finished.
    public enum Phase: Equatable, Sendable {
        case idle
        case preparing
        case running
        case paused
        case finished(String)
    }

    /// What the training panel shows.
    public struct Status: Equatable, Sendable {
        public var phase: Phase = .idle
        public var dataName: String
        public var plan: TrainingPlan?
        public var progress: TrainingProgress?
        public var epochs: [EpochSummary] = []
        /// Running training loss, one sample per progress event (the most recent 400).
        public var lossCurve: [Double] = []
        /// Epochs trained in this session, added to the model's own count when saving.
        public var epochsDone: Int { epochs.count }
        /// The KL weight β training uses (or will use when started): `{` halves it, `}` doubles it.
        public var klWeight: Double = VAEObjective.elbo.klWeight

        public init(dataName: String, klWeight: Double = VAEObjective.elbo.klWeight) {
            self.dataName = dataName
            self.klWeight = klWeight
        }
    }

    public private(set) var status: Status
    private let loadData: @Sendable () throws -> LabelledDataset
    private let configuration: TrainingConfiguration
    /// The newest run (nil before the first `t`). A new run joins the one before it first, so at most
    /// one training thread of this session is alive, and `stopAndWait` joins the only one there is.
    private var run: TrainingRun?
    /// Whether the newest run's events announced the end (its thread may still be finishing).
    private var runFinished = false

    /// Images whose codes the trainer sends with its snapshots (the explorer's test and reference letters).
    private let codeImages: ImageSet?
    /// The threads training splits its work over.
    private let pool: ComputePool

    /// `loadData` runs on the training thread (generating or loading a large set takes a moment).
    /// Snapshots carry the latent means of `codeImages`, encoded on the training thread. Training runs
    /// on `pool` (`ComputePool.default` unless the caller chose a thread count).
    public init(dataName: String, configuration: TrainingConfiguration, codeImages: ImageSet? = nil,
                pool: ComputePool = .default, loadData: @escaping @Sendable () throws -> LabelledDataset) {
        status = Status(dataName: dataName, klWeight: configuration.objective.klWeight)
        self.configuration = configuration
        self.codeImages = codeImages
        self.pool = pool
        self.loadData = loadData
    }

    /// A session on the same data and code images with another configuration: a compared model's.
    public func sibling(configuration: TrainingConfiguration) -> TrainingSession {
        TrainingSession(dataName: status.dataName, configuration: configuration, codeImages: codeImages, pool: pool,
                        loadData: loadData)
    }

    /// `t`: starts training a copy of `model` the first time, then pauses and resumes.
    public func toggle(model: VAEModel) {
        switch status.phase {
        case .idle, .finished:
            start(model.copy())
        case .running:
            run?.control.pause()
        case .paused:
            run?.control.resume()
        case .preparing:
            break
        }
    }

    /// Stops training and waits (at most `timeout` seconds) for the training thread to end. The
    /// program must not exit while that thread is inside OpenBLAS: the library's exit-time shutdown of
    /// its thread pool would deadlock with it. The trainer checks for a stop between mini-batches, so
    /// this takes milliseconds; a run still preparing its data is cancelled before it trains.
    public func stopAndWait(timeout: Double = 10) {
        guard let run else { return }
        run.control.stop()
        run.thread.join(timeout: timeout)   // the run stays, joined, so that `poll` still drains its last events
    }

    /// Training threads started and not yet ended, in this process: 0 once every `stopAndWait` returned.
    public static var liveThreadCount: Int { TrainingRun.liveCount }

    /// The smallest β `{` halves to before reaching 0 (and `}` doubles 0 to): 2^-6.
    public static let smallestNonzeroKLWeight = 1.0 / 64

    /// Multiplies β by `factor` (`{`: 1/2, `}`: 2) within `VAEObjective.klWeightRange`, below
    /// `smallestNonzeroKLWeight` going to 0 and back. A running trainer takes it before its next batch
    /// (through its thread-safe control); otherwise the next run starts with it. Returns the new β.
    @discardableResult
    public func scaleKLWeight(by factor: Double) -> Double {
        var beta = status.klWeight * factor
        if status.klWeight == 0 && factor > 1 { beta = Self.smallestNonzeroKLWeight }
        if beta < Self.smallestNonzeroKLWeight { beta = 0 }
        beta = min(max(beta, VAEObjective.klWeightRange.lowerBound), VAEObjective.klWeightRange.upperBound)
        status.klWeight = beta
        if !runFinished { run?.control.setKLWeight(beta) }
        return beta
    }

    public var isActive: Bool {
        switch status.phase {
        case .preparing, .running: return true
        default: return false
        }
    }

    /// Joins the previous run (its thread has sent its last event, or is told to stop) and starts a
    /// new one on `model`, which moves to the run's thread.
    private func start(_ model: sending VAEModel) {
        if let previous = run {
            previous.control.stop()
            previous.thread.join()
        }
        status = Status(dataName: status.dataName, klWeight: status.klWeight)
        status.phase = .preparing
        var chosen = configuration
        chosen.objective.klWeight = status.klWeight
        run = TrainingRun(model: model, configuration: chosen, codeImages: codeImages, pool: pool, loadData: loadData)
        runFinished = false
    }

    /// The name the kernel shows for the training thread (`top -H`, /proc; at most 15 characters).
    public static let threadName = "explorer-train"

    /// Drains the training events: updates the status and returns the newest weight snapshot, if any.
    public func poll() -> ModelSnapshot? {
        guard let run, !runFinished else { return nil }
        if let error = run.takePreparationError() {
            runFinished = true
            status.phase = .finished("could not load the training data: \(error)")
            return nil
        }
        var snapshot: ModelSnapshot?
        for event in run.channel.poll() {
            switch event {
            case .started(let plan):
                status.plan = plan
                status.phase = run.control.isPaused ? .paused : .running
            case .progress(let progress):
                status.progress = progress
                status.lossCurve.append(progress.runningLoss)
                if status.lossCurve.count > 400 { status.lossCurve.removeFirst(status.lossCurve.count - 400) }
            case .epochFinished(let summary):
                status.epochs.append(summary)
            case .snapshot(let newest):
                snapshot = newest
            case .paused:
                status.phase = .paused
            case .resumed:
                status.phase = .running
            case .finished(let outcome):
                runFinished = true
                status.phase = .finished(Self.describe(outcome))
            }
        }
        return snapshot
    }

    /// The end of a run, saying which epoch's weights the explorer now shows (the trainer sends the
    /// best epoch's weights last).
    static func describe(_ outcome: TrainingOutcome) -> String {
        let held = outcome.bestEpoch > 0
            ? "; showing epoch \(outcome.bestEpoch)'s weights" + (outcome.bestValidation.map { String(format: " (best val %.2f)", $0.total) } ?? "")
            : "; no epoch finished"
        switch outcome.reason {
        case .completed: return "done: \(outcome.epochsRun) epoch\(outcome.epochsRun == 1 ? "" : "s")\(held)"
        case .earlyStopped: return "stopped early after \(outcome.epochsRun) epochs\(held)"
        case .stoppedByUser: return "stopped\(held)"
        case .diverged(let message): return "diverged: \(message)"
        }
    }
}

/// One training run: its thread, from `start` to the end of its closure, and what the UI shares with
/// it. The session waits on the run it started, never on a flag an earlier run's thread could still
/// clear; a run ends when its thread is joined. Not `Sendable`: it stays on the UI thread, and its
/// thread gets only the `Sendable` parts (`channel`, `control`, `preparationError`).
private final class TrainingRun {
    let channel = TrainingChannel()
    let control = TrainingControl()
    private let preparationError = PreparationError()
    let thread: JoinableThread

    /// Training threads started and not yet at the end of their closure, in this process.
    static let live = Atomic<Int>(0)
    static var liveCount: Int { live.load(ordering: .sequentiallyConsistent) }

    /// Starts the thread: it loads the data, then trains `model` (which moves to it) unless a stop came
    /// first (then the trainer sees the stop before its first batch).
    init(model: sending VAEModel, configuration: TrainingConfiguration, codeImages: ImageSet?, pool: ComputePool,
         loadData: @escaping @Sendable () throws -> LabelledDataset) {
        Self.live.add(1, ordering: .sequentiallyConsistent)
        thread = Self.launch(model: model, configuration: configuration, codeImages: codeImages, pool: pool, loadData: loadData,
                             channel: channel, control: control, preparationError: preparationError)
    }

    private static func launch(model: sending VAEModel, configuration: TrainingConfiguration, codeImages: ImageSet?, pool: ComputePool,
                               loadData: @escaping @Sendable () throws -> LabelledDataset, channel: TrainingChannel,
                               control: TrainingControl, preparationError: PreparationError) -> JoinableThread {
        // Not niced: training was niced to 10 once so that drawing came first (frames on the 2-core
        // machine took a median of 1.5 ms instead of 3.4, p95 6.5 instead of 10.5, both well inside a
        // 50 ms key-read timeout), but a niced thread gets a tenth of the CPU of any unniced thread it
        // meets on a core (its pool's worker, a build in the same terminal session, every other process
        // where the kernel does not group a session's processes), and the other thread of each region
        // waits for it: on a loaded machine it waited 2 to 20 times as long in the run queue as it ran,
        // against 1.4 to 1.6 unniced, and with its worker niced too the explorer trained at a third of
        // `train`'s speed (docs/speed.md). The UI thread sleeps between frames, so the scheduler still
        // runs it first when it wakes.
        Trainer.startThread(name: TrainingSession.threadName) {
            defer { Self.live.subtract(1, ordering: .sequentiallyConsistent) }
            do {
                let dataset = try loadData()
                guard !control.isStopped else { return }   // stopped while the data loaded: no training
                _ = try ClassMap(model: model, dataset: dataset)   // a conditional model must know the data's classes
                Trainer(model: model, dataset: dataset, configuration: configuration, codeImages: codeImages,
                        channel: channel, control: control, pool: pool).run()
            } catch {
                preparationError.set("\(error)")
            }
        }
    }

    /// The error that stopped the data from loading, once.
    func takePreparationError() -> String? { preparationError.take() }
}

/// A message from a run's thread to the UI thread.
private final class PreparationError: Sendable {
    private let message = Mutex<String?>(nil)
    func set(_ text: String) { message.withLock { $0 = text } }
    func take() -> String? { message.withLock { $0.take() } }
}
