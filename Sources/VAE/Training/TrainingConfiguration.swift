/// How to train: the defaults are the reference's (batch 128, Adam 1e-3) plus early stopping on a
/// validation part held out of the training split.
public struct TrainingConfiguration: Sendable, Equatable {
    public var epochs: Int = 10
    public var batchSize: Int = 128
    public var learningRate: Float = 1e-3
    /// Epochs without a better validation loss before stopping; the best weights are kept.
    public var patience: Int = 4
    /// The part of each class of the training split held out for validation (stratified, seeded by
    /// `seed`) when the data set brings no validation images of its own. 0 trains without validation,
    /// for exactly `epochs`, and keeps the last weights.
    public var validationFraction: Double = 0.1
    /// Seeds the validation split, shuffling and the reparameterisation noise (the model's
    /// initialisation has its own).
    public var seed: UInt64 = 0
    /// Seconds between weight snapshots sent while an epoch runs (0: only at the end of each epoch).
    public var snapshotInterval: Double = 1.0
    /// Seconds between progress events.
    public var progressInterval: Double = 0.1
    /// What the gradient descends (β may change during the run through `TrainingControl`).
    public var objective: VAEObjective = .elbo

    public init(epochs: Int = 10, batchSize: Int = 128, learningRate: Float = 1e-3, patience: Int = 4,
                validationFraction: Double = 0.1, seed: UInt64 = 0, snapshotInterval: Double = 1.0,
                progressInterval: Double = 0.1, objective: VAEObjective = .elbo) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.patience = patience
        self.validationFraction = validationFraction
        self.seed = seed
        self.snapshotInterval = snapshotInterval
        self.progressInterval = progressInterval
        self.objective = objective
    }
}
