import XCTest
@testable import LetterData
@testable import VAE

final class TrainerTests: XCTestCase {
    /// A small model and data set so that each test trains in well under a second.
    private let small = ModelConfiguration.mlp(hiddenSize: 32, latentDim: 2)
    private lazy var dataset = SyntheticLetters.makeDataset(trainCount: 1_300, testCount: 260, seed: 4)

    /// The part of the training split the trainer holds out for a configuration.
    private func validationPart(_ configuration: TrainingConfiguration) -> ImageSet {
        dataset.train.stratifiedSplit(heldOutFraction: configuration.validationFraction, seed: configuration.seed).heldOut
    }

    func testTrainingLowersTheValidationLossAndKeepsTheBestEpoch() {
        let model = VAEModel(configuration: small, seed: 1)
        let configuration = TrainingConfiguration(epochs: 3, batchSize: 64, seed: 2, snapshotInterval: 0)
        let validation = validationPart(configuration)
        let untrained = Inference(model: model).negativeELBO(validation).total
        let trainer = Trainer(model: model, dataset: dataset, configuration: configuration)
        let outcome = trainer.run()
        XCTAssertEqual(outcome.reason, .completed)
        XCTAssertEqual(outcome.history.count, 3)
        let best = try! XCTUnwrap(outcome.bestValidation)
        XCTAssertLessThan(best.total, untrained * 0.8, "training must lower the loss well below the untrained \(untrained)")
        // The model holds the weights of the best epoch: scoring the validation part again gives its loss.
        XCTAssertEqual(Inference(model: model).negativeELBO(validation).total, best.total, accuracy: 1e-6)
    }

    /// β weighs the KL term: trained with β = 8 the codes hold far less information (a smaller KL) than
    /// with β = 1 from the same start, while the losses reported stay the unweighted parts. A β asked
    /// for through the control reaches the next batch, and the outcome says which β the weights had.
    func testTheKLWeightShapesTrainingAndCanChangeBetweenBatches() {
        func train(_ configured: Double, requested: Double? = nil) -> (Trainer, TrainingOutcome) {
            let configuration = TrainingConfiguration(epochs: 2, batchSize: 64, seed: 2, snapshotInterval: 0,
                                                      objective: VAEObjective(klWeight: configured))
            let trainer = Trainer(model: VAEModel(configuration: small, seed: 1), dataset: dataset, configuration: configuration)
            if let requested { trainer.control.setKLWeight(requested) }
            return (trainer, trainer.run())
        }
        let (_, plain) = train(1)
        let (_, pressed) = train(8)
        let plainKL = try! XCTUnwrap(plain.bestValidation).kl, pressedKL = try! XCTUnwrap(pressed.bestValidation).kl
        XCTAssertLessThan(pressedKL, plainKL * 0.7, "β = 8 must shrink the KL (\(pressedKL) against \(plainKL))")
        XCTAssertEqual(plain.klWeight, 1)
        XCTAssertEqual(pressed.klWeight, 8)

        let (trainer, switched) = train(1, requested: 8)
        XCTAssertEqual(switched.klWeight, 8)
        var progressWeights = Set<Double>()
        while let event = trainer.channel.next() { if case .progress(let p) = event { progressWeights.insert(p.klWeight) } }
        XCTAssertEqual(progressWeights, [8], "the request is taken before the first batch")
        XCTAssertEqual(try XCTUnwrap(switched.bestValidation).kl, pressedKL, accuracy: 1e-9, "same seed, same β: same run")
        XCTAssertEqual(trainer.control.setKLWeight(5_000), 1_000, "clamped to the range")
        XCTAssertEqual(trainer.control.setKLWeight(-1), 0)
    }

    /// A KL warm-up trains with β rising from 0 to the objective's β over its epochs, batch by batch,
    /// then with β itself; the epoch is chosen, and the outcome's β given, at β itself.
    func testAKLWarmupRaisesTheWeightToBetaAndChoosesTheEpochAtBeta() {
        let configuration = TrainingConfiguration(epochs: 3, batchSize: 64, seed: 2, snapshotInterval: 0,
                                                  objective: VAEObjective(klWeight: 2), klWarmupEpochs: 2)
        XCTAssertEqual(configuration.klWeight(leadingTo: 2, after: 0), 0)
        XCTAssertEqual(configuration.klWeight(leadingTo: 2, after: 0.5), 0.5)
        XCTAssertEqual(configuration.klWeight(leadingTo: 2, after: 3), 2)
        XCTAssertEqual(TrainingConfiguration().klWeight(leadingTo: 2, after: 0), 2, "no warm-up: β from the first batch")
        let trainer = Trainer(model: VAEModel(configuration: small, seed: 1), dataset: dataset, configuration: configuration)
        let outcome = trainer.run()
        XCTAssertEqual(outcome.history.map(\.klWeight).count, 3)
        // Each epoch reports the β of its last batch: below 1 and 2 in the warm-up's two epochs, then 2.
        let reported = outcome.history.map(\.klWeight)
        XCTAssertGreaterThan(reported[0], 0.5)
        XCTAssertLessThan(reported[0], 1)
        XCTAssertGreaterThan(reported[1], 1.5)
        XCTAssertLessThan(reported[1], 2)
        XCTAssertEqual(reported[2], 2)
        XCTAssertEqual(outcome.klWeight, 2, "the weights are recorded with the β they were chosen at")
        var progressWeights: [Double] = []
        while let event = trainer.channel.next() { if case .progress(let p) = event { progressWeights.append(p.klWeight) } }
        XCTAssertEqual(progressWeights, progressWeights.sorted(), "β only rises")
        XCTAssertEqual(progressWeights.last, 2)
    }

    /// Reduce-on-plateau: each `plateauEpochs` epochs in a row without a better validation loss multiply
    /// the rate by `factor`, and the count starts again; an improvement starts it again too.
    func testTheScheduleCutsAfterAPlateauAndStartsCountingAgain() {
        let schedule = LearningRateSchedule(plateauEpochs: 2, factor: 0.5)
        XCTAssertEqual(schedule.rate(after: 1, at: 1e-3).cut, false)
        XCTAssertEqual(schedule.rate(after: 2, at: 1e-3).rate, 5e-4)
        XCTAssertEqual(schedule.rate(after: 2, at: 1e-3).cut, true)
        XCTAssertEqual(LearningRateSchedule.constant.rate(after: 100, at: 1e-3).cut, false, "a constant rate is never cut")
        XCTAssertEqual(schedule.summary, "x0.5 after 2 epochs without a better validation loss")
    }

    /// The trainer cuts Adam's rate on a plateau of the validation loss, reports each epoch's rate, and
    /// still stops `patience` epochs after the best epoch: a cut does not reset early stopping. A rate
    /// of 1e-30 moves no weight (each step is far below a Float's resolution), so the validation loss
    /// is the same every epoch and every epoch after the first is a plateau.
    func testAPlateauCutsTheLearningRateAndEarlyStoppingStillCountsFromTheBestEpoch() {
        let configuration = TrainingConfiguration(epochs: 10, batchSize: 64, learningRate: 1e-30, patience: 4, seed: 2,
                                                  snapshotInterval: 0,
                                                  learningRateSchedule: LearningRateSchedule(plateauEpochs: 2, factor: 0.5))
        let trainer = Trainer(model: VAEModel(configuration: small, seed: 1), dataset: dataset, configuration: configuration)
        let outcome = trainer.run()
        XCTAssertEqual(outcome.reason, .earlyStopped)
        XCTAssertEqual(outcome.bestEpoch, 1)
        XCTAssertEqual(outcome.history.map(\.improved), [true, false, false, false, false])
        XCTAssertEqual(outcome.history.map(\.learningRate), [1e-30, 1e-30, 5e-31, 5e-31, 2.5e-31],
                       "cut after the 2nd and 4th epochs without improvement")
        let constant = Trainer(model: VAEModel(configuration: small, seed: 1), dataset: dataset,
                               configuration: TrainingConfiguration(epochs: 3, batchSize: 64, seed: 2, snapshotInterval: 0)).run()
        XCTAssertEqual(Set(constant.history.map(\.learningRate)), [TrainingConfiguration.defaultLearningRate])
    }

    /// Early stopping chooses on the part held out of the training split; the test split is never read.
    func testValidationComesFromTheTrainingSplitStratifiedAndTheTestSplitIsNeverRead() {
        var withoutTest = dataset
        withoutTest.test = ImageSet(pixels: [], labels: [])
        let configuration = TrainingConfiguration(epochs: 2, batchSize: 64, validationFraction: 0.2, seed: 5, snapshotInterval: 0)
        let trainer = Trainer(model: VAEModel(configuration: small, seed: 1), dataset: withoutTest, configuration: configuration)
        let outcome = trainer.run()
        XCTAssertEqual(outcome.reason, .completed)
        XCTAssertNotNil(outcome.bestValidation)
        var plan: TrainingPlan?
        while let event = trainer.channel.next() { if case .started(let p) = event { plan = p } }
        let validation = validationPart(configuration)
        XCTAssertEqual(plan?.validationCount, validation.count)
        XCTAssertEqual(plan?.trainCount, dataset.train.count - validation.count)
        XCTAssertEqual(validation.count, 260, "20% of 1,300")
    }

    /// The batch is cut to the images trained on and to the memory budget, never below 1, and the
    /// plan says what was asked and why it was cut (train prints it).
    func testTheBatchIsCutToTheImagesAndTheMemoryBudgetAndThePlanSaysWhy() {
        XCTAssertTrue(Trainer.batchSize(requested: 64, model: small, imageCount: 1_000) == (64, nil))
        XCTAssertTrue(Trainer.batchSize(requested: 128, model: small, imageCount: 40) == (40, .imageCount))
        XCTAssertTrue(Trainer.batchSize(requested: 128, model: small, imageCount: 0) == (1, nil))
        let largest = small.largestBatch
        XCTAssertTrue(Trainer.batchSize(requested: largest + 1, model: small, imageCount: largest + 10) == (largest, .memory))
        XCTAssertTrue(Trainer.batchSize(requested: largest + 1, model: small, imageCount: largest) == (largest, .imageCount))

        let few = SyntheticLetters.makeDataset(trainCount: 52, testCount: 26, seed: 2)
        let trainer = Trainer(model: VAEModel(configuration: small, seed: 1), dataset: few,
                              configuration: TrainingConfiguration(epochs: 1, batchSize: 128, validationFraction: 0, snapshotInterval: 0))
        trainer.run()
        var plan: TrainingPlan?
        while let event = trainer.channel.next() { if case .started(let p) = event { plan = p } }
        XCTAssertEqual(plan?.batchSize, 52)
        XCTAssertEqual(plan?.requestedBatchSize, 128)
        XCTAssertEqual(plan?.batchCut, .imageCount)
        XCTAssertEqual(plan?.batchesPerEpoch, 1)
    }

    /// A data set that brings validation images is validated on them; its training split stays whole.
    func testADataSetsOwnValidationImagesAreUsed() {
        var withValidation = dataset
        withValidation.validation = dataset.test.prefix(100)
        let trainer = Trainer(model: VAEModel(configuration: small, seed: 1), dataset: withValidation,
                              configuration: TrainingConfiguration(epochs: 1, batchSize: 64, snapshotInterval: 0))
        let outcome = trainer.run()
        var plan: TrainingPlan?
        while let event = trainer.channel.next() { if case .started(let p) = event { plan = p } }
        XCTAssertEqual(plan?.trainCount, dataset.train.count)
        XCTAssertEqual(plan?.validationCount, 100)
        XCTAssertEqual(try XCTUnwrap(outcome.bestValidation).total,
                       Inference(model: trainer.model).negativeELBO(dataset.test.prefix(100)).total, accuracy: 1e-6)
    }

    /// Snapshots carry the latent means of the code images under their own weights: at the end of each
    /// epoch and of the run always, within an epoch every `codesInterval` seconds.
    func testSnapshotsCarryTheCodesOfTheirWeights() throws {
        let probes = dataset.test.prefix(30)
        let trainer = Trainer(model: VAEModel(configuration: small, seed: 1), dataset: dataset,
                              configuration: TrainingConfiguration(epochs: 2, batchSize: 64, snapshotInterval: 0), codeImages: probes)
        let channel = trainer.channel
        let thread = Trainer.startThread { trainer.run() }
        var snapshots: [ModelSnapshot] = []
        while let event = channel.next() { if case .snapshot(let s) = event { snapshots.append(s) } }
        thread.join()
        XCTAssertFalse(snapshots.isEmpty)
        for snapshot in snapshots {
            let codes = try XCTUnwrap(snapshot.codes, "epoch \(snapshot.epoch)")
            let expected = Inference(model: try snapshot.makeModel()).encodeMeans(probes)
            XCTAssertEqual(codes.count, expected.count)
            for (a, b) in zip(codes, expected) { XCTAssertEqual(a, b, accuracy: 1e-5) }
        }
    }

    /// `validationFraction` 0: exactly `epochs` epochs on the whole training split, last weights kept.
    func testWithoutValidationTrainsEveryEpochAndKeepsTheLast() {
        let model = VAEModel(configuration: small, seed: 1)
        let configuration = TrainingConfiguration(epochs: 3, batchSize: 64, learningRate: 0.05, patience: 1,
                                                  validationFraction: 0, seed: 3, snapshotInterval: 0)
        let trainer = Trainer(model: model, dataset: dataset, configuration: configuration)
        var lastSnapshot: ModelSnapshot?
        trainer.run()   // on this thread: the model stays here; the channel keeps the events (and the newest snapshot)
        while let event = trainer.channel.next() {
            if case .snapshot(let s) = event { lastSnapshot = s }
            if case .epochFinished(let summary) = event { XCTAssertNil(summary.validation) }
        }
        XCTAssertEqual(lastSnapshot?.epoch, 3)
        XCTAssertEqual(lastSnapshot?.tensors, model.tensors(), "the model keeps the last epoch's weights")
    }

    func testEarlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
        let model = VAEModel(configuration: small, seed: 1)
        // A learning rate this large makes the validation loss climb after the first epochs.
        let configuration = TrainingConfiguration(epochs: 30, batchSize: 64, learningRate: 0.05, patience: 2, seed: 3,
                                                  snapshotInterval: 0)
        let outcome = Trainer(model: model, dataset: dataset, configuration: configuration).run()
        XCTAssertEqual(outcome.reason, .earlyStopped)
        XCTAssertEqual(outcome.epochsRun, outcome.bestEpoch + 2, "stops after `patience` epochs without improvement")
        XCTAssertEqual(Inference(model: model).negativeELBO(validationPart(configuration)).total,
                       try XCTUnwrap(outcome.bestValidation).total, accuracy: 1e-6)
    }

    func testDivergenceStopsWithAMessageAndKeepsTheLastGoodWeights() {
        let model = VAEModel(configuration: small, seed: 1)
        let initial = model.tensors()
        let configuration = TrainingConfiguration(epochs: 2, batchSize: 64, learningRate: 1e30, seed: 3, snapshotInterval: 0)
        let outcome = Trainer(model: model, dataset: dataset, configuration: configuration).run()
        guard case .diverged(let message) = outcome.reason else { return XCTFail("expected divergence, got \(outcome.reason)") }
        XCTAssertTrue(message.contains("kept the weights of epoch 0"), message)
        XCTAssertEqual(model.tensors(), initial)
    }

    func testPauseResumeAndStopFromAnotherThread() throws {
        let model = VAEModel(configuration: small, seed: 1)
        let trainer = Trainer(model: model, dataset: dataset,
                              configuration: TrainingConfiguration(epochs: 1_000, batchSize: 16, snapshotInterval: 0.01))
        let (channel, control) = (trainer.channel, trainer.control)
        control.pause()
        let thread = Trainer.startThread { trainer.run() }
        var seen: [String] = []
        func waitFor(_ name: String) {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                for event in channel.poll() {
                    switch event {
                    case .paused: seen.append("paused")
                    case .resumed: seen.append("resumed")
                    case .snapshot: seen.append("snapshot")
                    case .finished(let outcome): seen.append("finished \(outcome.reason)")
                    default: break
                    }
                }
                if seen.contains(where: { $0.hasPrefix(name) }) { return }
                Thread.sleep(forTimeInterval: 0.005)
            }
            XCTFail("no \(name) event; saw \(seen)")
        }
        waitFor("paused")
        control.resume()
        waitFor("resumed")
        waitFor("snapshot")
        control.stop()
        waitFor("finished")
        thread.join()
        XCTAssertTrue(seen.contains("finished stoppedByUser"), "\(seen)")
    }

    func testChannelKeepsOnlyTheNewestUnreadSnapshot() {
        let channel = TrainingChannel()
        let model = VAEModel(configuration: small)
        for epoch in 1 ... 3 {
            channel.send(.snapshot(ModelSnapshot(configuration: small, tensors: model.tensors(), epoch: epoch)))
            channel.send(.paused)
        }
        let events = channel.poll()
        let epochs = events.compactMap { if case .snapshot(let s) = $0 { return s.epoch } else { return nil } }
        XCTAssertEqual(epochs, [3])
        XCTAssertEqual(events.count, 4)
        channel.close()
        XCTAssertNil(channel.next())
    }
}
