/// What Adam's learning rate does over a run: constant, or reduced on a plateau of the validation loss
/// (as PyTorch's `ReduceLROnPlateau` in mode "min" with an absolute threshold of 0): after
/// `plateauEpochs` epochs in a row without a better validation loss, the rate is multiplied by `factor`,
/// and the count starts again. Early stopping is unchanged and counts on its own: a run whose rate was
/// cut still stops `patience` epochs after its best epoch, so a cut only buys the run the epochs it
/// improves in. Without validation there is no plateau to see, and the rate stays as it is.
public struct LearningRateSchedule: Sendable, Equatable {
    /// Epochs without a better validation loss before each cut; 0: the rate never changes.
    public var plateauEpochs: Int
    /// What each cut multiplies the rate by, in (0, 1).
    public var factor: Float

    public static let defaultFactor: Float = 0.5
    /// The factors a cut may take (contract/limits.json, shared with the PyTorch package).
    public static let factorRange = Contract.shared.learningRateFactor
    public static let constant = LearningRateSchedule(plateauEpochs: 0)

    public init(plateauEpochs: Int, factor: Float = defaultFactor) {
        self.plateauEpochs = plateauEpochs
        self.factor = factor
    }

    public var isConstant: Bool { plateauEpochs == 0 }

    /// After an epoch that did not improve, with `staleEpochs` such epochs in a row since the last
    /// improvement or cut (this one included): the rate to go on with and whether it was cut.
    public func rate(after staleEpochs: Int, at rate: Float) -> (rate: Float, cut: Bool) {
        guard !isConstant, staleEpochs >= plateauEpochs else { return (rate, false) }
        return (rate * factor, true)
    }

    /// One line for the weights' metadata and the run's introduction, e.g.
    /// "x0.5 after 3 epochs without a better validation loss".
    public var summary: String {
        isConstant ? "constant" : "x\(Self.format(factor)) after \(plateauEpochs) \(plateauEpochs == 1 ? "epoch" : "epochs") without a better validation loss"
    }

    /// A rate or factor in the shortest form that reads back as the same Float (1e-3 as "0.001").
    public static func format(_ value: Float) -> String { "\(value)" }
}
