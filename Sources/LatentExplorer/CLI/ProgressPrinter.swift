import Foundation
import VAE

/// Prints training progress the way Keras' `fit` does: a bar per epoch redrawn in place with
/// samples/s, running loss and ETA, then a line with train and validation loss. When standard output
/// is not a terminal (CI logs), only the per-epoch lines are printed.
final class ProgressPrinter {
    private let interactive = isatty(STDOUT_FILENO) != 0
    private var plan: TrainingPlan?
    private let barWidth = 30

    func handle(_ event: TrainingEvent) {
        switch event {
        case .started(let plan):
            self.plan = plan
        case .progress(let p):
            guard interactive else { return }
            let line = "\(epochLabel(p.epoch)) \(bar(p.batch, of: p.batchesPerEpoch)) - ETA \(Self.duration(p.secondsRemaining)) - loss: \(String(format: "%.4f", p.runningLoss)) - \(Self.rate(p.samplesPerSecond))"
            write("\r" + line + "\u{1B}[K")
        case .epochFinished(let s):
            let marker = s.improved ? " *" : ""
            let beta = s.klWeight == VAEObjective.elbo.klWeight ? "" : " - β \(VAEObjective.format(s.klWeight))"
            let line = "\(epochLabel(s.epoch)) \(bar(1, of: 1)) - \(Self.duration(s.seconds)) - loss: \(String(format: "%.4f", s.trainLoss))\(Self.validationText(s.validation))\(beta) - \(Self.rate(s.samplesPerSecond))\(marker)"
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

    private func epochLabel(_ epoch: Int) -> String {
        let total = plan?.epochs ?? epoch
        let width = String(total).count
        return "Epoch " + String(repeating: " ", count: max(0, width - String(epoch).count)) + "\(epoch)/\(total)"
    }

    /// `[=========>....]`: done/total of the bar filled, with a head while not complete.
    private func bar(_ done: Int, of total: Int) -> String {
        let filled = total > 0 ? min(barWidth, barWidth * done / total) : barWidth
        if filled == barWidth { return "[" + String(repeating: "=", count: barWidth) + "]" }
        return "[" + String(repeating: "=", count: filled) + ">" + String(repeating: ".", count: barWidth - filled - 1) + "]"
    }

    /// Through `print`'s buffered stdout, flushed, so it interleaves in order with other output.
    private func write(_ text: String) {
        print(text, terminator: "")
        fflush(stdout)
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

    static func rate(_ samplesPerSecond: Double) -> String {
        "\(Int(samplesPerSecond.rounded())) samples/s"
    }
}
