import FileFormats

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

/// What a training run will do, sent once before its first batch.
public struct TrainingPlan: Sendable, Equatable {
    public var epochs: Int
    public var batchesPerEpoch: Int
    /// Images trained on each epoch, and images held out of the training split to choose the epoch
    /// (0: no validation; the last epoch's weights are kept).
    public var trainCount: Int
    public var validationCount: Int
    /// The images per mini-batch, and the batch size asked for when `batchCut` made it smaller
    /// (`Trainer.batchSize(requested:model:imageCount:)`).
    public var batchSize: Int
    public var requestedBatchSize: Int
    public var batchCut: BatchCut?
}

/// Why a run's batch is smaller than the one asked for.
public enum BatchCut: Sendable, Equatable {
    /// The training images are fewer than the batch.
    case imageCount
    /// A larger batch of this model would need more than `ModelConfiguration.batchMemoryBudget` of activations.
    case memory
}

/// Where a run is within its epoch, sent as batches finish.
public struct TrainingProgress: Sendable, Equatable {
    /// 1-based epoch.
    public var epoch: Int
    public var batch: Int
    public var batchesPerEpoch: Int
    public var samplesSeen: Int
    /// Mean negative ELBO (β = 1) per image over this epoch so far.
    public var runningLoss: Double
    public var samplesPerSecond: Double
    public var epochSeconds: Double
    /// The KL weight the gradient uses now.
    public var klWeight: Double = 1

    /// Seconds left in this epoch at the current speed.
    public var secondsRemaining: Double {
        guard batch > 0 else { return 0 }
        return epochSeconds / Double(batch) * Double(batchesPerEpoch - batch)
    }
}

/// The losses of one finished epoch.
public struct EpochSummary: Sendable, Equatable {
    public var epoch: Int
    /// Mean negative ELBO (β = 1) per image over the epoch's batches.
    public var trainLoss: Double
    /// The KL weight at the end of the epoch (the one its validation objective uses).
    public var klWeight: Double = 1
    /// Adam's learning rate at the end of the epoch, after any cut this epoch's validation loss caused
    /// (`LearningRateSchedule`).
    public var learningRate: Float = TrainingConfiguration.defaultLearningRate
    /// The loss on the validation part (nil when training without one).
    public var validation: LossParts?
    public var seconds: Double
    public var samplesPerSecond: Double
    /// These are the weights kept so far: the validation loss improved on every earlier epoch (or,
    /// without validation, this is the newest epoch).
    public var improved: Bool
}

/// A value copy of the weights of a model in training (`TrainingEvent.snapshot`), safe to hand to another thread.
public struct ModelSnapshot: Sendable {
    public var configuration: ModelConfiguration
    public var tensors: [String: Tensor]
    public var epoch: Int
    /// The latent means of the trainer's `codeImages` under these weights, `[count, latentDim]`, when
    /// the trainer encoded them for this snapshot (nil otherwise).
    public var codes: [Float]?
    /// A conditional model's class names (`VAEModel.classNames`); nil takes `ClassMap.defaultNames`.
    public var classNames: [String]?

    public init(configuration: ModelConfiguration, tensors: [String: Tensor], epoch: Int, codes: [Float]? = nil,
                classNames: [String]? = nil) {
        self.configuration = configuration
        self.tensors = tensors
        self.epoch = epoch
        self.codes = codes
        self.classNames = classNames
    }

    /// A snapshot of `model`'s weights as they are now.
    public init(_ model: VAEModel, epoch: Int, codes: [Float]? = nil) {
        self.init(configuration: model.configuration, tensors: model.tensors(), epoch: epoch, codes: codes,
                  classNames: model.isConditional ? model.classNames : nil)
    }

    /// A model holding these weights.
    public func makeModel() throws -> VAEModel {
        try VAEModel(configuration: configuration, classNames: classNames, tensors: tensors)
    }
}

/// How a run ended, and the epoch whose weights it kept.
public struct TrainingOutcome: Sendable, Equatable {
    /// Why the run stopped.
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
    /// That epoch's validation loss; nil when training ran without a validation part.
    public var bestValidation: LossParts?
    /// The KL weight β the kept weights were trained with last (it may change during a run).
    public var klWeight: Double = 1
    public var history: [EpochSummary]
}
