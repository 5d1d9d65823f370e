import Foundation
import LetterData
import VAE

/// The explorer's training: prepares the data set and trains a copy of the model on a background
/// thread, started, paused and resumed with one key. The UI polls; it never waits for training.
public final class TrainingSession: @unchecked Sendable {
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
    private let lock = NSLock()
    private var trainer: Trainer?
    private var preparationError: String?
    private var cancelled = false
    /// The newest β asked for, for a trainer made after the request (while the data is prepared).
    private var pendingKLWeight: Double?
    /// The newest run's thread (nil before the first `t`). Each run owns its end signal, so an older
    /// thread that ends late can never report the end of a newer one.
    private var run: TrainingRun?

    /// Images whose codes the trainer sends with its snapshots (the explorer's test and reference letters).
    private let codeImages: ImageSet?

    /// `loadData` runs on the training thread (generating or loading a large set takes a moment).
    /// Snapshots carry the latent means of `codeImages`, encoded on the training thread.
    public init(dataName: String, configuration: TrainingConfiguration, codeImages: ImageSet? = nil,
                loadData: @escaping @Sendable () throws -> LabelledDataset) {
        status = Status(dataName: dataName, klWeight: configuration.objective.klWeight)
        self.configuration = configuration
        self.codeImages = codeImages
        self.loadData = loadData
    }

    /// A session on the same data and code images with another configuration: a compared model's.
    public func sibling(configuration: TrainingConfiguration) -> TrainingSession {
        TrainingSession(dataName: status.dataName, configuration: configuration, codeImages: codeImages, loadData: loadData)
    }

    /// `t`: starts training a copy of `model` the first time, then pauses and resumes.
    public func toggle(model: VAEModel) {
        switch status.phase {
        case .idle, .finished:
            start(model.copy())
        case .running:
            currentTrainer()?.control.pause()
        case .paused:
            currentTrainer()?.control.resume()
        case .preparing:
            break
        }
    }

    /// Stops training and waits (at most `timeout` seconds) for the training thread to end. The
    /// program must not exit while that thread is inside OpenBLAS: the library's exit-time shutdown of
    /// its thread pool would deadlock with it. The trainer checks for a stop between mini-batches, so
    /// this takes milliseconds; a run still preparing its data is cancelled before it trains.
    public func stopAndWait(timeout: Double = 10) {
        let run = lock.withLock { () -> TrainingRun? in
            cancelled = true
            trainer?.control.stop()
            return self.run
        }
        run?.waitForEnd(timeout: timeout)
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
        lock.withLock {
            pendingKLWeight = beta
            trainer?.control.setKLWeight(beta)
        }
        return beta
    }

    public var isActive: Bool {
        switch status.phase {
        case .preparing, .running: return true
        default: return false
        }
    }

    private func start(_ model: VAEModel) {
        status = Status(dataName: status.dataName, klWeight: status.klWeight)
        status.phase = .preparing
        var chosen = configuration
        chosen.objective.klWeight = status.klWeight
        let configuration = chosen
        let loadData = loadData
        let codeImages = codeImages
        let run = TrainingRun()
        lock.withLock {
            cancelled = false
            self.run = run
        }
        let thread = Thread { [self] in
            defer { run.end() }
            Self.becomeBackgroundThread()
            do {
                let dataset = try loadData()
                let trainer = Trainer(model: model, dataset: dataset, configuration: configuration, codeImages: codeImages)
                let proceed = lock.withLock { () -> Bool in
                    self.trainer = trainer
                    if let beta = pendingKLWeight { trainer.control.setKLWeight(beta) }
                    return !cancelled
                }
                if proceed { trainer.run() }
            } catch {
                lock.withLock { preparationError = "\(error)" }
            }
        }
        thread.name = "explorer-training"
        thread.stackSize = 8 << 20
        thread.start()
    }

    private func currentTrainer() -> Trainer? { lock.withLock { trainer } }

    /// The nice value of the training thread: the explorer's own drawing comes first. On the 2-core
    /// machine, with a conv model training, this halved the median and p95 frame times (1.5-1.7 and
    /// 6.3-6.7 ms against 3.4-3.5 and 10.4-11 ms) and training ran no slower: the UI takes little
    /// CPU, and only where the two contend does the UI win.
    public static let trainingNiceness: Int32 = 10

    /// The name the kernel shows for the training thread (`top -H`, /proc; at most 15 characters).
    public static let threadName = "explorer-train"

    /// Names the calling thread for the kernel (through /proc: Swift does not see glibc's
    /// `pthread_setname_np`) and lowers its priority. On Linux the nice value belongs to a thread, and
    /// `who` 0 is the calling one.
    private static func becomeBackgroundThread() {
        try? threadName.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, trainingNiceness)
    }

    /// Drains the training events: updates the status and returns the newest weight snapshot, if any.
    public func poll() -> ModelSnapshot? {
        if let error = lock.withLock({ preparationError }) {
            lock.withLock { preparationError = nil }
            status.phase = .finished("could not load the training data: \(error)")
            return nil
        }
        guard let trainer = currentTrainer() else { return nil }
        var snapshot: ModelSnapshot?
        for event in trainer.channel.poll() {
            switch event {
            case .started(let plan):
                status.plan = plan
                status.phase = trainer.control.isPaused ? .paused : .running
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
                lock.withLock { self.trainer = nil }
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

/// One training thread's life, from `start` to the end of its closure: the session waits on the run it
/// started, never on a flag that an earlier run's thread could still clear.
/// `@unchecked Sendable`: `ended` is a semaphore, and `liveCount` is guarded by `liveLock`.
private final class TrainingRun: @unchecked Sendable {
    private let ended = DispatchSemaphore(value: 0)
    private static let liveLock = NSLock()
    nonisolated(unsafe) private static var live = 0

    init() { Self.liveLock.withLock { Self.live += 1 } }

    static var liveCount: Int { liveLock.withLock { live } }

    /// Called once, last thing on the run's thread.
    func end() {
        Self.liveLock.withLock { Self.live -= 1 }
        ended.signal()
    }

    /// Waits at most `timeout` seconds for the end; the signal is given back, so every later wait
    /// returns at once too.
    func waitForEnd(timeout: Double) {
        if ended.wait(timeout: .now() + timeout) == .success { ended.signal() }
    }
}
