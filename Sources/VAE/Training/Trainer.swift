import Foundation
import LetterData
import Support

/// Trains a model on a data set: shuffled mini-batches, Adam, a validation pass each epoch on images
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
    public static let codesInterval = 5.0
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

    private func train() -> TrainingOutcome {
        let config = configuration
        // The data set's own validation images when it brings them, else a stratified part of `train`.
        let (train, validation) = config.validationFraction == 0 ? (dataset.train, ImageSet(pixels: [], labels: []))
            : dataset.validation.map { (dataset.train, $0) }
            ?? dataset.train.stratifiedSplit(heldOutFraction: config.validationFraction, seed: config.seed)
        let validates = validation.count > 0
        // Within the batch memory budget whatever was asked (`train` says so when it cuts the batch).
        let batchSize = max(1, min(config.batchSize, model.configuration.largestBatch))
        let batchesPerEpoch = (train.count + batchSize - 1) / batchSize
        channel.send(.started(TrainingPlan(epochs: config.epochs, batchesPerEpoch: batchesPerEpoch,
                                           trainCount: train.count, validationCount: validation.count)))
        let step = TrainingStep(model: model, batchCapacity: min(batchSize, max(train.count, 1)),
                                objective: config.objective, pool: pool)
        let optimizer = Adam(parameters: model.parameters, learningRate: config.learningRate, pool: pool)
        let evaluator = Inference(model: model, pool: pool)
        var generator = SeededGenerator(seed: config.seed)
        var order = Array(0 ..< train.count)
        let (trainClasses, validationClasses) = (classMap.indices(of: train), classMap.indices(of: validation))

        var best = model.tensors()
        var bestEpoch = 0
        var bestValidation: LossParts?
        var bestKLWeight = config.objective.klWeight
        var epochsWithoutImprovement = 0
        var history: [EpochSummary] = []
        func finish(_ reason: TrainingOutcome.Reason, epochsRun: Int) -> TrainingOutcome {
            try? model.load(best)   // same names and shapes: cannot fail
            return TrainingOutcome(reason: reason, epochsRun: epochsRun, bestEpoch: bestEpoch,
                                   bestValidation: bestValidation, klWeight: bestKLWeight, history: history)
        }
        guard train.count > 0 else { return finish(.diverged("the training split holds no images"), epochsRun: 0) }

        for epoch in 1 ... max(1, config.epochs) {
            order.shuffle(using: &generator)
            let epochStart = Date()
            var lastProgress = epochStart, lastSnapshot = epochStart
            var lossSum: Double = 0
            var seen = 0
            for batch in 0 ..< batchesPerEpoch {
                let keepGoing = control.waitWhilePaused(onPause: { channel.send(.paused) },
                                                        onResume: { channel.send(.resumed) })
                if !keepGoing { return finish(.stoppedByUser, epochsRun: epoch - 1) }
                if let beta = control.takeKLWeight() { step.objective.klWeight = beta }
                let indices = order[batch * batchSize ..< min((batch + 1) * batchSize, train.count)]
                step.loadBatch(train, classes: trainClasses, indices: indices)
                let loss = step.forward(using: &generator, computeGradients: true)
                guard loss.total.isFinite else {
                    return finish(.diverged("loss became \(loss.total) in epoch \(epoch), batch \(batch + 1); kept the weights of epoch \(bestEpoch)"),
                                  epochsRun: epoch)
                }
                step.backward()
                optimizer.update()
                lossSum += loss.total
                seen += indices.count

                let now = Date()
                let elapsed = now.timeIntervalSince(epochStart)
                if now.timeIntervalSince(lastProgress) >= config.progressInterval || batch == batchesPerEpoch - 1 {
                    lastProgress = now
                    channel.send(.progress(TrainingProgress(
                        epoch: epoch, batch: batch + 1, batchesPerEpoch: batchesPerEpoch, samplesSeen: seen,
                        runningLoss: lossSum / Double(seen), samplesPerSecond: Double(seen) / max(elapsed, 1e-9),
                        epochSeconds: elapsed, klWeight: step.objective.klWeight)))
                }
                if config.snapshotInterval > 0 && now.timeIntervalSince(lastSnapshot) >= config.snapshotInterval {
                    lastSnapshot = now
                    channel.send(.snapshot(snapshot(epoch: epoch, withCodes: false, encoder: evaluator)))
                }
            }
            let seconds = Date().timeIntervalSince(epochStart)
            var epochValidation: LossParts?
            if validates {
                let loss = evaluator.negativeELBO(validation, classes: validationClasses, seed: 0)
                guard loss.total.isFinite else {
                    return finish(.diverged("validation loss became \(loss.total) in epoch \(epoch); kept the weights of epoch \(bestEpoch)"),
                                  epochsRun: epoch)
                }
                epochValidation = loss
            }
            // Without validation every epoch is the newest, and the newest is kept. With it, the epoch
            // that minimises what is being trained: the validation objective at today's β (both sides
            // weighed by the same β, so a β changed mid-run compares like with like).
            let objective = step.objective
            let improved = epochValidation.map { loss in
                bestValidation.map { objective.value(of: loss) < objective.value(of: $0) } ?? true
            } ?? true
            let summary = EpochSummary(epoch: epoch, trainLoss: lossSum / Double(max(seen, 1)),
                                       klWeight: objective.klWeight, validation: epochValidation,
                                       seconds: seconds, samplesPerSecond: Double(seen) / max(seconds, 1e-9),
                                       improved: improved)
            history.append(summary)
            channel.send(.epochFinished(summary))
            channel.send(.snapshot(snapshot(epoch: epoch, withCodes: true, encoder: evaluator)))
            if improved {
                best = model.tensors()
                bestEpoch = epoch
                bestValidation = epochValidation
                bestKLWeight = objective.klWeight
                epochsWithoutImprovement = 0
            } else {
                epochsWithoutImprovement += 1
                if epochsWithoutImprovement >= config.patience && epoch < config.epochs {
                    return finish(.earlyStopped, epochsRun: epoch)
                }
            }
        }
        return finish(.completed, epochsRun: max(1, config.epochs))
    }
}
