import ArgumentParser
import VAE

/// The range of every number a command takes, named once: a value outside is refused before anything
/// runs, with one line and exit status 64. The upper bounds keep time and memory within what the
/// program promises (no input takes it past 1 GB): e.g. 200,000 synthetic letters are 157 MB of pixels.
enum OptionRanges {
    static let epochs = 1 ... 1_000_000
    static let batchSize = 1 ... 4_096
    static let patience = 1 ... 1_000_000
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
    static let learningRate: ClosedRange<Float> = 1e-9 ... 10
    static let threads = 1 ... 64
    static let benchImages = 128 ... 200_000
    static let benchRuns = 1 ... 100
    static let benchGridSide = 1 ... 100
    static let perClass = 1 ... 100
    static let scale = 1 ... 8
    static let skip = 0 ... 1_000_000

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
