import XCTest
@testable import VAE

final class TrainerTests: XCTestCase {
    /// A small model and data set so that each test trains in well under a second.
    private let small = VAEArchitecture(hiddenSize: 32, latentDim: 2)
    private lazy var dataset = SyntheticLetters.makeDataset(trainCount: 1_300, testCount: 260, seed: 4)

    func testTrainingLowersTheValidationLossAndKeepsTheBestEpoch() {
        let model = VAEModel(architecture: small, seed: 1)
        let untrained = Inference(model: model).negativeELBO(dataset.test).total
        let trainer = Trainer(model: model, dataset: dataset,
                              configuration: TrainingConfiguration(epochs: 3, batchSize: 64, seed: 2, snapshotInterval: 0))
        let outcome = trainer.run()
        XCTAssertEqual(outcome.reason, .completed)
        XCTAssertEqual(outcome.history.count, 3)
        let best = try! XCTUnwrap(outcome.bestValidation)
        XCTAssertLessThan(best.total, untrained * 0.8, "training must lower the loss well below the untrained \(untrained)")
        // The model holds the weights of the best epoch: scoring it again gives that epoch's loss.
        XCTAssertEqual(Inference(model: model).negativeELBO(dataset.test).total, best.total, accuracy: 1e-6)
    }

    func testEarlyStoppingStopsAfterPatienceAndRestoresTheBestWeights() {
        let model = VAEModel(architecture: small, seed: 1)
        // A learning rate this large makes the validation loss climb after the first epochs.
        let configuration = TrainingConfiguration(epochs: 30, batchSize: 64, learningRate: 0.05, patience: 2, seed: 3,
                                                  snapshotInterval: 0)
        let outcome = Trainer(model: model, dataset: dataset, configuration: configuration).run()
        XCTAssertEqual(outcome.reason, .earlyStopped)
        XCTAssertEqual(outcome.epochsRun, outcome.bestEpoch + 2, "stops after `patience` epochs without improvement")
        XCTAssertEqual(Inference(model: model).negativeELBO(dataset.test).total,
                       try XCTUnwrap(outcome.bestValidation).total, accuracy: 1e-6)
    }

    func testDivergenceStopsWithAMessageAndKeepsTheLastGoodWeights() {
        let model = VAEModel(architecture: small, seed: 1)
        let initial = model.tensors()
        let configuration = TrainingConfiguration(epochs: 2, batchSize: 64, learningRate: 1e30, seed: 3, snapshotInterval: 0)
        let outcome = Trainer(model: model, dataset: dataset, configuration: configuration).run()
        guard case .diverged(let message) = outcome.reason else { return XCTFail("expected divergence, got \(outcome.reason)") }
        XCTAssertTrue(message.contains("kept the weights of epoch 0"), message)
        XCTAssertEqual(model.tensors(), initial)
    }

    func testPauseResumeAndStopFromAnotherThread() throws {
        let model = VAEModel(architecture: small, seed: 1)
        let trainer = Trainer(model: model, dataset: dataset,
                              configuration: TrainingConfiguration(epochs: 1_000, batchSize: 16, snapshotInterval: 0.01))
        trainer.control.pause()
        trainer.start()
        var seen: [String] = []
        func waitFor(_ name: String) {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                for event in trainer.channel.poll() {
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
        trainer.control.resume()
        waitFor("resumed")
        waitFor("snapshot")
        trainer.control.stop()
        waitFor("finished")
        trainer.waitUntilFinished()
        XCTAssertTrue(seen.contains("finished stoppedByUser"), "\(seen)")
    }

    func testChannelKeepsOnlyTheNewestUnreadSnapshot() {
        let channel = TrainingChannel()
        let model = VAEModel(architecture: small)
        for epoch in 1 ... 3 {
            channel.send(.snapshot(ModelSnapshot(architecture: small, tensors: model.tensors(), epoch: epoch)))
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

final class NearestNeighboursTests: XCTestCase {
    func testMajorityOfTheFiveNearest() {
        // Class 1 around (0, 0), class 2 around (10, 10).
        let codes: [Float] = [0, 0, 0.1, 0, 0, 0.1, -0.1, 0, 10, 10, 10.1, 10, 10, 9.9]
        let labels = [1, 1, 1, 1, 2, 2, 2]
        let knn = NearestNeighbours(codes: codes, labels: labels, dimension: 2)
        XCTAssertEqual(knn.classify([0.2, 0.2], k: 5), 1)   // 4 of class 1, 1 of class 2
        XCTAssertEqual(knn.classify([9, 9], k: 3), 2)
        XCTAssertEqual(knn.accuracy(queries: [0, 0, 10, 10, 9, 9], expected: [1, 2, 1], k: 3), 2.0 / 3.0, accuracy: 1e-12)
    }
}

final class BLASKernelSelectionTests: XCTestCase {
    private let avx512: Set<String> = ["avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]

    func testUpgradesAVX2KernelsOnAVX512Machines() {
        XCTAssertEqual(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "Haswell", environment: [:]), "SkylakeX")
        XCTAssertEqual(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "Zen",
                                                             environment: ["OPENBLAS_CORETYPE": "Haswell"]), "SkylakeX")
    }

    func testNeverDowngradesNorLoopsAndRespectsKeep() {
        XCTAssertNil(BLASKernelSelection.preferredCoreType(cpuFlags: ["avx2", "fma"], currentCore: "Haswell", environment: [:]))
        XCTAssertNil(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "SkylakeX", environment: [:]))
        XCTAssertNil(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "Haswell",
                                                           environment: ["LATENT_EXPLORER_BLAS_CORE": "keep"]))
        XCTAssertNil(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "Haswell",
                                                           environment: ["LATENT_EXPLORER_BLAS_REEXECUTED": "1"]))
        XCTAssertEqual(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "SkylakeX",
                                                             environment: ["LATENT_EXPLORER_BLAS_CORE": "Haswell"]), "Haswell")
    }
}
