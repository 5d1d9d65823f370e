/// What a training run reports to its subscribers (the CLI's progress bar, the explorer's panel).
public enum TrainingEvent: Sendable {
    case started(TrainingPlan)
    case progress(TrainingProgress)
    case epochFinished(EpochSummary)
    /// A copy of the weights as they are now; the newest replaces any not yet received.
    case snapshot(ModelSnapshot)
    case paused
    case resumed
    /// The last event of a run. The model holds the best weights seen (or the last good ones).
    case finished(TrainingOutcome)
}

public struct TrainingPlan: Sendable, Equatable {
    public var epochs: Int
    public var batchesPerEpoch: Int
    public var trainCount: Int
    public var validationCount: Int
}

public struct TrainingProgress: Sendable, Equatable {
    /// 1-based epoch.
    public var epoch: Int
    public var batch: Int
    public var batchesPerEpoch: Int
    public var samplesSeen: Int
    /// Mean loss per image over this epoch so far.
    public var runningLoss: Double
    public var samplesPerSecond: Double
    public var epochSeconds: Double

    /// Seconds left in this epoch at the current speed.
    public var secondsRemaining: Double {
        guard batch > 0 else { return 0 }
        return epochSeconds / Double(batch) * Double(batchesPerEpoch - batch)
    }
}

public struct EpochSummary: Sendable, Equatable {
    public var epoch: Int
    public var trainLoss: Double
    public var validation: LossParts
    public var seconds: Double
    public var samplesPerSecond: Double
    /// The validation loss improved on every earlier epoch: these are the weights kept.
    public var improved: Bool
}

public struct ModelSnapshot: Sendable {
    public var architecture: VAEArchitecture
    public var tensors: [String: Tensor]
    public var epoch: Int

    /// A model holding these weights.
    public func makeModel() throws -> VAEModel {
        let model = VAEModel(architecture: architecture)
        try model.load(tensors)
        return model
    }
}

public struct TrainingOutcome: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case completed
        case earlyStopped
        case stoppedByUser
        /// The loss became NaN or infinite; training stopped and the last good weights were kept.
        case diverged(String)
    }
    public var reason: Reason
    public var epochsRun: Int
    /// The epoch whose weights the model holds (0: the weights it started with).
    public var bestEpoch: Int
    public var bestValidation: LossParts?
    public var history: [EpochSummary]
}
