import FileFormats
import Foundation
import LetterData
import Support

/// Trains a model on a data set: shuffled mini-batches, Adam (whose learning rate a
/// `LearningRateSchedule` may cut when the validation loss stalls), a validation pass each epoch on images
/// kept out of training (the data set's own validation images, or else a stratified part of the
/// training split; never the test split), early stopping that keeps the best weights, and a guard
/// against NaN or infinite losses. The gradient descends `configuration.objective`, whose β
/// `control.setKLWeight` may change between batches; losses reported are the true negative ELBO
/// (β = 1), and the epoch is chosen on the validation objective at the current β.
///
/// `run` works on the calling thread, which may be one `startThread` started. Either way, progress
/// goes to `channel` and the model ends up holding the chosen weights. Not `Sendable`: other threads
/// talk to a running trainer only through `channel` and `control`.
public final class Trainer {
    public let model: VAEModel
    public let dataset: LabelledDataset
    public let configuration: TrainingConfiguration
    /// Events for subscribers on any thread.
    public let channel: TrainingChannel
    /// Pause, resume, stop and β requests from any thread.
    public let control: TrainingControl
    /// The threads each step's arithmetic and the optimizer split their work over.
    public let pool: ComputePool
    /// The stack of a thread `startThread` launches (the training step's recursion is shallow; the
    /// margin is for the C kernels' and OpenBLAS's frames).
    static let stackSize = 8 << 20

    /// Images whose latent means go with weight snapshots (the explorer's letters), encoded here on
    /// the training thread so that a viewer never runs the encoder beside training.
    public let codeImages: ImageSet?
    /// Seconds between snapshots that carry codes, besides those at the end of each epoch and of the run.
    /// Each is a pass of the encoder over the explorer's letters (5,200 to 7,800) during which nothing
    /// trains: every 10 s rather than every 5 it takes half as much from a long epoch (a conv model's on
    /// the full letters, docs/speed.md), and the scatter and the side pane still follow the weights
    /// within the epoch.
    public static let codesInterval = 10.0
    private var lastCodes = Date.distantPast

    /// The class index of each image for a conditional model (`ClassMap`): the labels travel with the
    /// images into every batch, validation pass and code snapshot. Empty for an unconditional model.
    public let classMap: ClassMap

    /// The data's classes must be among a conditional model's (`ClassMap(model:dataset:)`, which callers
    /// check first to report the mismatch in one line).
    /// `channel` and `control` may be made by the caller first, to keep them once the trainer has
    /// moved to another thread; `pool` is `ComputePool.default` unless the caller chose a thread count.
    public init(model: VAEModel, dataset: LabelledDataset, configuration: TrainingConfiguration, codeImages: ImageSet? = nil,
                channel: TrainingChannel = TrainingChannel(), control: TrainingControl = TrainingControl(),
                pool: ComputePool = .default) {
        self.model = model
        self.dataset = dataset
        self.configuration = configuration
        self.codeImages = codeImages
        self.channel = channel
        self.control = control
        self.pool = pool
        do { classMap = try ClassMap(model: model, dataset: dataset) } catch {
            preconditionFailure("\(error) (check ClassMap(model:dataset:) before training)")
        }
    }

    /// A snapshot of the model's weights, with codes when `withCodes` or when they are due.
    private func snapshot(epoch: Int, withCodes: Bool, encoder: Inference) -> ModelSnapshot {
        var codes: [Float]?
        if let codeImages, withCodes || Date().timeIntervalSince(lastCodes) >= Self.codesInterval {
            codes = encoder.encodeMeans(codeImages, classes: classMap.indices(of: codeImages))
            lastCodes = Date()
        }
        return ModelSnapshot(model, epoch: epoch, codes: codes)
    }

    /// The one way to start a training thread: runs `body` on a new thread of `stackSize` bytes named
    /// `name` (what `top -H` shows) and niced by `niceness`, and returns at once. `body` builds a trainer
    /// there (after loading the data, say) and runs it; what it captures moves to the new thread, so
    /// keep the trainer's `channel` and `control` (made first and passed to its `init`) to talk to it.
    /// Join the thread before the program exits: see `TrainingSession.stopAndWait`.
    public static func startThread(name: String = "training", niceness: Int32? = nil,
                                   _ body: sending @escaping () -> Void) -> JoinableThread {
        JoinableThread(name: name, stackSize: stackSize, niceness: niceness, body)
    }

    /// Trains until the epochs are done, patience runs out, a stop is requested or the loss diverges.
    @discardableResult
    public func run() -> TrainingOutcome {
        let outcome = train()
        // The model now holds the best (or last good) weights: subscribers get them as the last snapshot.
        channel.send(.snapshot(snapshot(epoch: outcome.bestEpoch, withCodes: true, encoder: Inference(model: model, pool: pool))))
        channel.send(.finished(outcome))
        channel.close()
        return outcome
    }

    /// The batch size a run uses for `requested`: at most the images it trains on (a larger batch
    /// would only reserve memory for images that do not exist) and within the batch memory budget of
    /// `model`, and at least 1. `cut` says which bound made it smaller than asked; `train` prints it.
    public static func batchSize(requested: Int, model: ModelConfiguration, imageCount: Int) -> (size: Int, cut: BatchCut?) {
        let (wanted, largest) = (max(1, requested), model.largestBatch)
        if largest < min(wanted, imageCount) { return (largest, .memory) }
        if imageCount < wanted { return (max(1, imageCount), imageCount > 0 ? .imageCount : nil) }
        return (wanted, nil)
    }

    /// Why a run stops: the reason and the epochs run, thrown from any step of the loop to `train`.
    private struct Ending: Error {
        let reason: TrainingOutcome.Reason
        let epochsRun: Int
        init(_ reason: TrainingOutcome.Reason, epochsRun: Int) { (self.reason, self.epochsRun) = (reason, epochsRun) }
    }

    /// What a run carries from batch to batch and epoch to epoch.
    private struct Run {
        let train: ImageSet, validation: ImageSet
        let trainClasses: [Int32]?, validationClasses: [Int32]?
        let batchSize: Int, batchesPerEpoch: Int
        let step: TrainingStep
        let optimizer: Adam
        let evaluator: Inference
        var generator: SeededGenerator
        var order: [Int]
        /// The β the run leads to (the objective's, or the last `control.setKLWeight`); during a KL
        /// warm-up the step trains with less (`TrainingConfiguration.klWeight(leadingTo:after:)`).
        var targetKLWeight: Double
        /// The best epoch so far: its weights, its number (0: none yet), its validation loss and β.
        var best: [String: Tensor]
        var bestEpoch = 0
        var bestValidation: LossParts?
        var bestKLWeight: Double
        var epochsWithoutImprovement = 0
        /// Epochs without improvement since the last improvement or learning-rate cut (`LearningRateSchedule`).
        var epochsSinceImprovementOrCut = 0
        var history: [EpochSummary] = []
    }

    private func train() -> TrainingOutcome {
        var run = startRun()
        do throws(Ending) {
            guard run.train.count > 0 else { throw Ending(.diverged("the training split holds no images"), epochsRun: 0) }
            for epoch in 1 ... max(1, configuration.epochs) {
                let trained = try trainEpoch(&run, epoch: epoch)
                let validation = try validate(run, epoch: epoch)
                try endEpoch(&run, epoch: epoch, trained: trained, validation: validation)
            }
            throw Ending(.completed, epochsRun: max(1, configuration.epochs))
        } catch {
            try? model.load(run.best)   // same names and shapes: cannot fail
            return TrainingOutcome(reason: error.reason, epochsRun: error.epochsRun, bestEpoch: run.bestEpoch,
                                   bestValidation: run.bestValidation, klWeight: run.bestKLWeight, history: run.history)
        }
    }

    /// Splits the data, chooses the batch size, announces the plan and builds the step and optimizer.
    private func startRun() -> Run {
        let config = configuration
        // The data set's own validation images when it brings them, else a stratified part of `train`.
        let (train, validation) = config.validationFraction == 0 ? (dataset.train, ImageSet(pixels: [], labels: []))
            : dataset.validation.map { (dataset.train, $0) }
            ?? dataset.train.stratifiedSplit(heldOutFraction: config.validationFraction, seed: config.seed)
        let (batchSize, cut) = Self.batchSize(requested: config.batchSize, model: model.configuration, imageCount: train.count)
        let batchesPerEpoch = (train.count + batchSize - 1) / batchSize
        channel.send(.started(TrainingPlan(epochs: config.epochs, batchesPerEpoch: batchesPerEpoch,
                                           trainCount: train.count, validationCount: validation.count,
                                           batchSize: batchSize, requestedBatchSize: config.batchSize, batchCut: cut)))
        let step = TrainingStep(model: model, batchCapacity: batchSize, objective: config.objective, pool: pool)
        return Run(train: train, validation: validation,
                   trainClasses: classMap.indices(of: train), validationClasses: classMap.indices(of: validation),
                   batchSize: batchSize, batchesPerEpoch: batchesPerEpoch, step: step,
                   optimizer: Adam(parameters: model.parameters, learningRate: config.learningRate, pool: pool),
                   evaluator: Inference(model: model, pool: pool), generator: SeededGenerator(seed: config.seed),
                   order: Array(0 ..< train.count), targetKLWeight: config.objective.klWeight, best: model.tensors(),
                   bestKLWeight: config.objective.klWeight)
    }

    /// One pass over the shuffled training images, with progress and timed snapshots on the way.
    /// Returns the summed loss, the images seen and the seconds taken.
    private func trainEpoch(_ run: inout Run, epoch: Int) throws(Ending) -> (lossSum: Double, seen: Int, seconds: Double) {
        run.order.shuffle(using: &run.generator)
        let epochStart = Date()
        var lastProgress = epochStart, lastSnapshot = epochStart
        var lossSum: Double = 0
        var seen = 0
        for batch in 0 ..< run.batchesPerEpoch {
            let keepGoing = control.waitWhilePaused(onPause: { channel.send(.paused) },
                                                    onResume: { channel.send(.resumed) })
            if !keepGoing { throw Ending(.stoppedByUser, epochsRun: epoch - 1) }
            if let beta = control.takeKLWeight() { run.targetKLWeight = beta }
            run.step.objective.klWeight = configuration.klWeight(leadingTo: run.targetKLWeight,
                                                                 after: Double(epoch - 1) + Double(batch) / Double(run.batchesPerEpoch))
            let indices = run.order[batch * run.batchSize ..< min((batch + 1) * run.batchSize, run.train.count)]
            run.step.loadBatch(run.train, classes: run.trainClasses, indices: indices)
            let loss = run.step.forward(using: &run.generator, computeGradients: true)
            guard loss.total.isFinite else {
                throw Ending(.diverged("loss became \(loss.total) in epoch \(epoch), batch \(batch + 1); kept the weights of epoch \(run.bestEpoch)"),
                             epochsRun: epoch)
            }
            run.step.backward(thenUpdate: run.optimizer)
            lossSum += loss.total
            seen += indices.count

            let now = Date()
            let elapsed = now.timeIntervalSince(epochStart)
            if now.timeIntervalSince(lastProgress) >= configuration.progressInterval || batch == run.batchesPerEpoch - 1 {
                lastProgress = now
                channel.send(.progress(TrainingProgress(
                    epoch: epoch, batch: batch + 1, batchesPerEpoch: run.batchesPerEpoch, samplesSeen: seen,
                    runningLoss: lossSum / Double(seen), samplesPerSecond: Double(seen) / max(elapsed, 1e-9),
                    epochSeconds: elapsed, klWeight: run.step.objective.klWeight)))
            }
            if configuration.snapshotInterval > 0 && now.timeIntervalSince(lastSnapshot) >= configuration.snapshotInterval {
                lastSnapshot = now
                channel.send(.snapshot(snapshot(epoch: epoch, withCodes: false, encoder: run.evaluator)))
            }
        }
        return (lossSum, seen, Date().timeIntervalSince(epochStart))
    }

    /// The validation loss after `epoch`, or nil when the run has no validation images.
    private func validate(_ run: Run, epoch: Int) throws(Ending) -> LossParts? {
        guard run.validation.count > 0 else { return nil }
        let loss = run.evaluator.negativeELBO(run.validation, classes: run.validationClasses, seed: 0)
        guard loss.total.isFinite else {
            throw Ending(.diverged("validation loss became \(loss.total) in epoch \(epoch); kept the weights of epoch \(run.bestEpoch)"),
                         epochsRun: epoch)
        }
        return loss
    }

    /// Reports the epoch, keeps its weights when they are the best so far, and stops early when
    /// `patience` epochs have passed without improvement.
    private func endEpoch(_ run: inout Run, epoch: Int, trained: (lossSum: Double, seen: Int, seconds: Double),
                          validation: LossParts?) throws(Ending) {
        // Without validation every epoch is the newest, and the newest is kept. With it, the epoch
        // that minimises what is being trained: the validation objective at today's β (both sides
        // weighed by the same β, so a β changed mid-run compares like with like), the β a KL warm-up
        // leads to rather than the smaller one it has reached.
        var objective = run.step.objective
        objective.klWeight = run.targetKLWeight
        let improved = validation.map { loss in
            run.bestValidation.map { objective.value(of: loss) < objective.value(of: $0) } ?? true
        } ?? true
        // A plateau of the validation loss cuts the learning rate for the epochs after this one.
        run.epochsSinceImprovementOrCut = improved ? 0 : run.epochsSinceImprovementOrCut + 1
        if !improved {
            let next = configuration.learningRateSchedule.rate(after: run.epochsSinceImprovementOrCut, at: run.optimizer.learningRate)
            if next.cut { (run.optimizer.learningRate, run.epochsSinceImprovementOrCut) = (next.rate, 0) }
        }
        let summary = EpochSummary(epoch: epoch, trainLoss: trained.lossSum / Double(max(trained.seen, 1)),
                                   klWeight: run.step.objective.klWeight, learningRate: run.optimizer.learningRate, validation: validation,
                                   seconds: trained.seconds, samplesPerSecond: Double(trained.seen) / max(trained.seconds, 1e-9),
                                   improved: improved)
        run.history.append(summary)
        channel.send(.epochFinished(summary))
        channel.send(.snapshot(snapshot(epoch: epoch, withCodes: true, encoder: run.evaluator)))
        if improved {
            run.best = model.tensors()
            run.bestEpoch = epoch
            run.bestValidation = validation
            run.bestKLWeight = objective.klWeight
            run.epochsWithoutImprovement = 0
        } else {
            run.epochsWithoutImprovement += 1
            if run.epochsWithoutImprovement >= configuration.patience && epoch < configuration.epochs {
                throw Ending(.earlyStopped, epochsRun: epoch)
            }
        }
    }
}
