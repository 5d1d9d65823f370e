/// How to train: the defaults are the reference's (batch 128, Adam 1e-3) plus early stopping.
public struct TrainingConfiguration: Sendable, Equatable {
    public var epochs: Int = 10
    public var batchSize: Int = 128
    public var learningRate: Float = 1e-3
    /// Epochs without a better validation loss before stopping; the best weights are kept.
    public var patience: Int = 4
    /// Seeds shuffling and the reparameterisation noise (the model's initialisation has its own).
    public var seed: UInt64 = 0
    /// Seconds between weight snapshots sent while an epoch runs (0: only at the end of each epoch).
    public var snapshotInterval: Double = 1.0
    /// Seconds between progress events.
    public var progressInterval: Double = 0.1

    public init(epochs: Int = 10, batchSize: Int = 128, learningRate: Float = 1e-3, patience: Int = 4,
                seed: UInt64 = 0, snapshotInterval: Double = 1.0, progressInterval: Double = 0.1) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.patience = patience
        self.seed = seed
        self.snapshotInterval = snapshotInterval
        self.progressInterval = progressInterval
    }
}
