import ArgumentParser
import LetterData
import VAE

/// The range of every number a command takes, named once: a value outside is refused before anything
/// runs, with one line and exit status 64. The upper bounds keep time and memory within what the
/// program promises (no input takes it past 1 GB): e.g. 200,000 synthetic letters are 157 MB of pixels.
enum OptionRanges {
    /// The training options both programs' `train` take are in contract/limits.json.
    static let epochs = Contract.shared.epochs
    static let batchSize = Contract.shared.batchSize
    static let patience = Contract.shared.patience
    /// A KL warm-up longer than the most epochs a run takes would never reach β.
    static let klWarmup = 0 ... Contract.shared.epochs.upperBound
    /// A plateau longer than the most epochs a run takes would never cut the learning rate.
    static let learningRatePlateau = 0 ... Contract.shared.epochs.upperBound
    static let learningRateFactor = LearningRateSchedule.factorRange
    /// `--k` and `--importance-samples` are in contract/limits.json: the PyTorch package takes them too.
    static let neighbours = Contract.shared.neighbours
    static let importanceSamples = Contract.shared.importanceSamples
    /// Most confused pairs listed per model: more than a few hundred is no longer a summary.
    static let confusedPairs = 0 ... 1_000
    static let syntheticCount = 26 ... 200_000
    static let shownTestCount = 26 ... 20_000
    static let gridSize = 1 ... 200
    static let pathSteps = 2 ... 200
    /// Half-width of the latent square or segment drawn; codes far outside ±10 decode to noise anyway.
    static let latentRange: ClosedRange<Float> = 0.001 ... 1_000
    static let learningRate = Contract.shared.learningRate
    static let threads = 1 ... 64
    static let benchImages = 128 ... 200_000
    static let benchRuns = 1 ... 100
    static let benchGridSide = 1 ... 100
    static let perClass = 1 ... 100
    /// Output pixels per image pixel: 16 makes a 200x200 grid of 28x28 letters 89,600 pixels wide.
    static let scale = 1 ... 16
    static let skip = 0 ... 1_000_000
    /// The fraction of each class held out to choose the epoch: [0, 1), 0 for none.
    static let validationSplit: Range<Double> = 0 ..< 1

    /// Every numeric option of every command with its range, in one table: `latent-explorer --help`
    /// shows it, and OptionRangesCommandTests walks every command's options against it (0, -1, the
    /// maximum + 1, 2^63 and NaN), so an option added without a range fails there.
    static let table: [(option: String, range: String)] = [
        ("--epochs", text(epochs)), ("--batch-size", text(batchSize)), ("--patience", text(patience)),
        ("--kl-warmup", text(klWarmup)), ("--learning-rate", text(learningRate)), ("--validation-split", "0...<1"),
        ("--lr-plateau", text(learningRatePlateau)), ("--lr-factor", text(learningRateFactor)),
        ("--beta", text(VAEObjective.klWeightRange)), ("--seed", text(0 ... UInt64.max)),
        ("--latent-dim", text(ModelConfiguration.latentDimensions)), ("--hidden-size", text(1 ... ModelConfiguration.maximumHiddenSize)),
        ("--real-repeat", text(DataSelection.realRepeatRange)), ("--train-count", text(syntheticCount)),
        ("--test-count", text(shownTestCount)), ("--k", text(neighbours)), ("--importance-samples", text(importanceSamples)),
        ("--pairs", text(confusedPairs)), ("--size", text(gridSize)), ("--steps", text(pathSteps)),
        ("--range", text(latentRange)), ("--scale", text(scale)), ("--per-class", text(perClass)), ("--skip", text(skip)),
        ("--threads", text(threads)), ("--train-images", text(benchImages)), ("--windows", text(benchRuns)),
        ("--repeat", text(benchRuns)), ("--grid-side", text(benchGridSide)),
    ]

    /// The table as the root help shows it, one option a line.
    static var helpTable: String {
        "Number ranges (a value outside is refused with exit status 64):\n"
            + table.map { "  \($0.option) \($0.range)" }.joined(separator: "\n")
    }

    private static func text<T>(_ range: ClosedRange<T>) -> String { "\(range.lowerBound)...\(range.upperBound)" }

    /// Throws "--name must be between a and b, not v" unless `range` holds `value`.
    static func check<T: Comparable>(_ value: T, in range: ClosedRange<T>, _ name: String) throws {
        guard range.contains(value) else {
            throw ValidationError("\(name) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
    }

    /// The same for a float, which must also be a number.
    static func check(_ value: Float, in range: ClosedRange<Float>, _ name: String) throws {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("\(name) must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
    }
}
