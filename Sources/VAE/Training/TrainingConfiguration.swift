/// How to train: the defaults are the reference's (batch 128, Adam 1e-3) plus early stopping on a
/// validation part held out of the training split.
public struct TrainingConfiguration: Sendable, Equatable {
    /// The defaults, named once: `train`, the explorer and this type's initialiser read them here.
    public static let defaultEpochs = 10
    public static let defaultBatchSize = 128
    public static let defaultLearningRate: Float = 1e-3
    public static let defaultPatience = 4
    public static let defaultValidationFraction = 0.1
    public static let defaultSeed: UInt64 = 0
    public static let defaultSnapshotInterval = 1.0
    public static let defaultProgressInterval = 0.1

    public var epochs: Int
    /// Images per mini-batch as asked; the trainer cuts it to the images it trains on and to the
    /// model's batch memory budget (`Trainer.batchSize`), and its plan says so.
    public var batchSize: Int
    public var learningRate: Float
    /// Epochs without a better validation loss before stopping; the best weights are kept.
    public var patience: Int
    /// The part of each class of the training split held out for validation (stratified, seeded by
    /// `seed`) when the data set brings no validation images of its own. 0 trains without validation,
    /// for exactly `epochs`, and keeps the last weights.
    public var validationFraction: Double
    /// Seeds the validation split, shuffling and the reparameterisation noise (the model's
    /// initialisation has its own).
    public var seed: UInt64
    /// Seconds between weight snapshots sent while an epoch runs (0: only at the end of each epoch).
    public var snapshotInterval: Double
    /// Seconds between progress events.
    public var progressInterval: Double
    /// What the gradient descends (β may change during the run through `TrainingControl`).
    public var objective: VAEObjective
    /// KL warm-up (Bowman et al. 2016; Sønderby et al. 2016): over the first this many epochs the β
    /// trained with rises linearly, batch by batch, from 0 to the objective's β, so that the codes learn
    /// to carry something before the KL term presses them to the prior. 0: the objective's β throughout.
    public var klWarmupEpochs: Int
    /// What the learning rate does over the run (constant unless asked: `LearningRateSchedule`).
    public var learningRateSchedule: LearningRateSchedule

    public init(epochs: Int = defaultEpochs, batchSize: Int = defaultBatchSize, learningRate: Float = defaultLearningRate,
                patience: Int = defaultPatience, validationFraction: Double = defaultValidationFraction,
                seed: UInt64 = defaultSeed, snapshotInterval: Double = defaultSnapshotInterval,
                progressInterval: Double = defaultProgressInterval, objective: VAEObjective = .elbo, klWarmupEpochs: Int = 0,
                learningRateSchedule: LearningRateSchedule = .constant) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.patience = patience
        self.validationFraction = validationFraction
        self.seed = seed
        self.snapshotInterval = snapshotInterval
        self.progressInterval = progressInterval
        self.objective = objective
        self.klWarmupEpochs = klWarmupEpochs
        self.learningRateSchedule = learningRateSchedule
    }

    /// The β to train with after `epochs` epochs (fractional: batches done / batches an epoch) when the
    /// warm-up leads to `target`: `target * epochs / klWarmupEpochs` until the warm-up ends, then `target`.
    public func klWeight(leadingTo target: Double, after epochs: Double) -> Double {
        klWarmupEpochs > 0 ? target * min(1, max(0, epochs) / Double(klWarmupEpochs)) : target
    }
}
