import Foundation
import Synchronization
import VAE

/// Progress for the user, in two forms: `ProgressPrinter` for training (below), and `StatusLine` for any
/// other wait of more than a moment (loading, measuring, benchmarking, writing a picture).
///
/// Prints training progress the way Keras' `fit` does: a bar per epoch redrawn in place with
/// samples/s, running loss and ETA, then a line with train and validation loss. When standard output
/// is not a terminal (CI logs), only the per-epoch lines are printed.
final class ProgressPrinter {
    /// The stack of the thread `train` prints on: formatting and writing lines, nothing deep.
    static let threadStackSize = 1 << 20
    private let interactive = isatty(STDOUT_FILENO) != 0
    private var plan: TrainingPlan?
    /// The learning rate of the epoch before, to say when a schedule cut it.
    private var learningRate: Float?
    private let barWidth = 30

    func handle(_ event: TrainingEvent) {
        switch event {
        case .started(let plan):
            self.plan = plan
            if let note = Self.batchNote(plan) { write(note + "\n") }
        case .progress(let p):
            guard interactive else { return }
            let line = "\(epochLabel(p.epoch)) \(bar(p.batch, of: p.batchesPerEpoch)) - ETA \(Self.duration(p.secondsRemaining)) - loss: \(String(format: "%.4f", p.runningLoss)) - \(Self.rate(p.samplesPerSecond))"
            write("\r" + line + "\u{1B}[K")
        case .epochFinished(let s):
            let marker = s.improved ? " *" : ""
            let beta = s.klWeight == VAEObjective.elbo.klWeight ? "" : " - β \(Self.shortWeight(s.klWeight))"
            let cut = learningRate.map { $0 == s.learningRate ? "" : " - learning rate now \(LearningRateSchedule.format(s.learningRate))" } ?? ""
            learningRate = s.learningRate
            let line = "\(epochLabel(s.epoch)) \(bar(1, of: 1)) - \(Self.duration(s.seconds)) - loss: \(String(format: "%.4f", s.trainLoss))\(Self.validationText(s.validation))\(beta) - \(Self.rate(s.samplesPerSecond))\(marker)\(cut)"
            write((interactive ? "\r" : "") + line + (interactive ? "\u{1B}[K" : "") + "\n")
        case .paused:
            write("\n(paused)\n")
        case .resumed, .snapshot:
            break
        case .finished(let outcome):
            let how: String
            switch outcome.reason {
            case .completed: how = "finished \(outcome.epochsRun) epochs"
            case .earlyStopped: how = "stopped early after \(outcome.epochsRun) epochs (no better validation loss for the patience)"
            case .stoppedByUser: how = "stopped by request after \(outcome.epochsRun) epochs"
            case .diverged(let message): how = "stopped: \(message)"
            }
            if let best = outcome.bestValidation, outcome.klWeight != VAEObjective.elbo.klWeight {
                let objective = VAEObjective(klWeight: outcome.klWeight)
                write("Training \(how); best validation objective \(String(format: "%.4f", objective.value(of: best))) (rec + β KL, β = \(VAEObjective.format(outcome.klWeight)); neg ELBO \(String(format: "%.4f", best.total))) at epoch \(outcome.bestEpoch)\n")
            } else if let best = outcome.bestValidation {
                write("Training \(how); best validation loss \(String(format: "%.4f", best.total)) at epoch \(outcome.bestEpoch)\n")
            } else {
                write("Training \(how); kept the last epoch (\(outcome.bestEpoch)): no validation split\n")
            }
        }
    }

    /// Why the batch is smaller than `--batch-size` asked, when the trainer cut it.
    static func batchNote(_ plan: TrainingPlan) -> String? {
        switch plan.batchCut {
        case nil: return nil
        case .imageCount:
            return "The batch size is \(plan.batchSize), the number of training images (--batch-size \(plan.requestedBatchSize) is larger than the set)"
        case .memory:
            return "The batch size is \(plan.batchSize): a larger batch of this model would need more than \(ModelConfiguration.batchMemoryBudget >> 20) MB of activations"
        }
    }

    private func epochLabel(_ epoch: Int) -> String {
        let total = plan?.epochs ?? epoch
        let width = String(total).count
        return "Epoch " + String(repeating: " ", count: max(0, width - String(epoch).count)) + "\(epoch)/\(total)"
    }

    private func bar(_ done: Int, of total: Int) -> String { Self.bar(done, of: total, width: barWidth) }

    /// `[=========>....]`: done/total of the bar filled, with a head while not complete.
    static func bar(_ done: Int, of total: Int, width: Int) -> String {
        let filled = total > 0 ? min(width, width * done / total) : width
        if filled == width { return "[" + String(repeating: "=", count: width) + "]" }
        return "[" + String(repeating: "=", count: filled) + ">" + String(repeating: ".", count: width - filled - 1) + "]"
    }

    /// Through `print`'s buffered stdout, flushed (`fflush(nil)`: every output stream, as the C
    /// `stdout` is a mutable global Swift 6 does not let us name), so it interleaves in order.
    private func write(_ text: String) {
        print(text, terminator: "")
        fflush(nil)
    }

    /// ` - val_loss: 151.48 (rec 144.50 + kl 6.98)`, or nothing without a validation split.
    static func validationText(_ loss: LossParts?) -> String {
        guard let loss else { return "" }
        return String(format: " - val_loss: %.4f (rec %.2f + kl %.2f)", loss.total, loss.reconstruction, loss.kl)
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }

    /// β as typed (`0.5`, `8`), or to three decimals when it has more (a KL warm-up's 0.19983221...).
    static func shortWeight(_ beta: Double) -> String {
        let typed = VAEObjective.format(beta)
        return typed.count <= 6 ? typed : String(format: "%.3f", beta)
    }

    static func rate(_ samplesPerSecond: Double) -> String {
        "\(Int(samplesPerSecond.rounded())) samples/s"
    }
}

/// One line on standard error while something slow runs: "Loading emnist-letters… 3s", or with a known
/// fraction "Timing mlp training [=====>....] 2/5 12s", redrawn in place a few times a second and erased
/// when the work ends. When standard error is not a terminal (a log, a pipe, the tests) nothing is
/// written at all. Output on standard output meanwhile is fine: the line is redrawn on the next tick.
final class StatusLine: Sendable {
    /// Runs `body` with a status line showing `message`; `body` may update it through the argument.
    static func run<T>(_ message: String, _ body: (StatusLine) throws -> T) rethrows -> T {
        let line = StatusLine(message)
        defer { line.finish() }
        return try body(line)
    }

    /// Runs `body` with a status line showing `message`.
    static func run<T>(_ message: String, _ body: () throws -> T) rethrows -> T {
        try run(message) { (_: StatusLine) in try body() }
    }

    static let isShown = isatty(STDERR_FILENO) != 0
    /// Redraws per second; the first one comes after one interval, so quick work draws nothing.
    private static let interval = DispatchTimeInterval.milliseconds(250)
    private static let barWidth = 20

    private struct State {
        var message: String
        var step: (done: Int, total: Int)?
        var timer: DispatchSourceTimer?
        var drawn = false
        var finished = false
    }
    /// Shared by the caller's thread and the timer's.
    private let state: Mutex<State>
    private let started = Date()

    private init(_ message: String) {
        state = Mutex(State(message: message))
        guard Self.isShown else { return }
        state.withLock { state in
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + Self.interval, repeating: Self.interval)
            timer.setEventHandler { [weak self] in self?.draw() }
            timer.resume()
            state.timer = timer
        }
    }

    /// Changes the text, and optionally shows `done` of `total` as a bar.
    func update(_ message: String, done: Int? = nil, of total: Int? = nil) {
        state.withLock { state in
            state.message = message
            state.step = done.flatMap { d in total.map { (d, $0) } }
        }
    }

    private func draw() {
        state.withLock { state in
            guard !state.finished else { return }
            var text = state.message
            if let step = state.step { text += " " + ProgressPrinter.bar(step.done, of: step.total, width: Self.barWidth) + " \(step.done)/\(step.total)" }
            text += " " + ProgressPrinter.duration(Date().timeIntervalSince(started))
            FileHandle.printError("\r" + text + "\u{1B}[K", terminator: "")
            state.drawn = true
        }
    }

    /// Cancelling does not wait for a draw in progress; one that then takes the lock finds `finished`.
    private func finish() {
        state.withLock { state in
            state.timer?.cancel()
            if state.drawn { FileHandle.printError("\r\u{1B}[K", terminator: "") }
            state.finished = true
        }
    }
}
