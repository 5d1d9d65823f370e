@testable import ExplorerCore
import Foundation
import LetterData
import VAE
import XCTest

/// The explorer session without a terminal: the focus among compared models, training started and
/// stopped per model, snapshots swapped into the right model, and what a save writes.
final class ExplorerSessionTests: XCTestCase {
    private static let screen = ScreenSize(width: 140, height: 40)
    private let data = ExplorerData(test: SyntheticLetters.makeImageSet(count: 78, seed: 5),
                                    reference: SyntheticLetters.makeImageSet(count: 52, seed: 6),
                                    classNames: LabelledDataset.letterClassNames, name: "tiny letters")
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("ExplorerSessionTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func training(klWeight: Double = 1) -> TrainingSession {
        var objective = VAEObjective.elbo
        objective.klWeight = klWeight
        return TrainingSession(dataName: "tiny (640)",
                               configuration: TrainingConfiguration(epochs: 1_000, batchSize: 32, snapshotInterval: 0.05, objective: objective)) {
            SyntheticLetters.makeDataset(trainCount: 640, testCount: 64, seed: 2)
        }
    }

    private func opened(_ name: String, seed: UInt64, latentDim: Int = 2) -> OpenedModel {
        let model = VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 16, latentDim: latentDim), seed: seed)
        var metadata = ModelMetadata(configuration: model.configuration)
        metadata.epochs = 7
        metadata.dataset = "earlier data"
        return OpenedModel(model: model, metadata: metadata, name: name,
                           saveTarget: .file(folder.appendingPathComponent("\(name).safetensors").path), training: training())
    }

    private func session(_ models: [OpenedModel]) -> ExplorerSession {
        ExplorerSession(ExplorerSetup(models: models, data: data, dataName: "tiny letters", titleFields: ["mlp", "test letters: tiny"],
                                      titleImportance: [1, 0], classFilter: "abc"),
                        screen: Self.screen)
    }

    /// Polls `session` until `predicate` holds (at most 30 s).
    private func poll(_ session: ExplorerSession, until predicate: () -> Bool) {
        let deadline = Date().addingTimeInterval(30)
        while !predicate() && Date() < deadline {
            _ = session.poll()
            Thread.sleep(forTimeInterval: 0.01)
        }
        XCTAssertTrue(predicate())
    }

    func testTabMovesTheFocusAndTheKeysActOnTheFocusedModel() {
        let session = session([opened("first", seed: 1), opened("second", seed: 2)])
        XCTAssertEqual(session.focus, 0)
        XCTAssertTrue(session.controller.view === session.models[0].view)
        XCTAssertFalse(session.handle(.key(.tab)))
        XCTAssertEqual(session.focus, 1)
        XCTAssertTrue(session.controller.view === session.models[1].view, "the side pane, browse, t and s act on the focus")
        XCTAssertEqual(session.controller.message, "Focus on second: browse, t and s act on it")
        XCTAssertFalse(session.handle(.key(.character("}"))))
        XCTAssertEqual(session.models[1].training.status.klWeight, 2, "β of the focused model")
        XCTAssertEqual(session.models[0].training.status.klWeight, 1, "the other keeps its own")
        _ = session.handle(.key(.tab))
        XCTAssertEqual(session.focus, 0)
    }

    func testTrainingStartsAndStopsPerModelAndItsSnapshotsReplaceOnlyThatModel() {
        let session = session([opened("first", seed: 1), opened("second", seed: 2)])
        let firstWeights = session.models[0].view.model.tensors()
        _ = session.handle(.key(.tab))
        _ = session.handle(.key(.character("t")))
        XCTAssertTrue(session.models[1].training.isActive)
        XCTAssertLessThanOrEqual(session.readTimeoutMilliseconds, ExplorerSession.trainingPollMilliseconds, "keys are read briefly while training")
        XCTAssertFalse(session.models[0].training.isActive, "t trains the focused model only")
        XCTAssertTrue(session.controller.state.trainingExpanded, "the panel grows in the state as well as on the screen")
        poll(session) { session.unsaved == [1] && !session.models[1].training.status.epochs.isEmpty }
        XCTAssertTrue(session.controller.hasUnsavedTraining)
        XCTAssertEqual(session.models[0].view.model.tensors(), firstWeights, "the other model is untouched")
        session.stopTraining()
        poll(session) { if case .finished = session.models[1].training.status.phase { return true } else { return false } }
        XCTAssertFalse(session.isTraining)
        XCTAssertEqual(TrainingSession.liveThreadCount, 0)

        _ = session.handle(.key(.tab))
        XCTAssertFalse(session.controller.state.trainingExpanded, "the focus's idle training shows one line")
    }

    func testASnapshotSwapsTheWeightsAndCodesOfItsModel() {
        let session = session([opened("first", seed: 1)])
        let trained = VAEModel(configuration: session.models[0].view.model.configuration, seed: 9)
        let before = session.models[0].view.codesVersion
        session.swapIn(trained, codes: nil, at: 0)
        XCTAssertEqual(session.models[0].view.model.tensors(), trained.tensors())
        XCTAssertEqual(session.unsaved, [0])
        XCTAssertTrue(session.poll(), "codes sent without a snapshot's codes are encoded once training is idle")
        XCTAssertGreaterThan(session.models[0].view.codesVersion, before)
        XCTAssertFalse(session.handle(.key(.character("q"))), "quitting with unsaved training asks first")
        XCTAssertEqual(session.controller.state.prompt, .unsavedTraining(interrupted: false))
    }

    func testSaveWritesTheShownWeightsWithTheSessionsMetadataAndAsksBeforeReplacing() throws {
        let session = session([opened("first", seed: 1), opened("second", seed: 2)])
        session.now = { Date(timeIntervalSince1970: 1_800_000_000) }
        _ = session.handle(.key(.tab))
        let trained = VAEModel(configuration: session.models[1].view.model.configuration, seed: 9)
        session.swapIn(trained, codes: nil, at: 1)
        XCTAssertFalse(session.handle(.key(.character("s"))))
        let path = folder.appendingPathComponent("second.safetensors").path
        XCTAssertEqual(session.controller.message, "Saved the weights to \(path)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("first.safetensors").path))
        let (saved, metadata) = try WeightsFile.load(path)
        XCTAssertEqual(saved.tensors(), trained.tensors(), "the weights shown, the snapshot's")
        XCTAssertEqual(metadata.epochs, 7, "no epoch trained in this session: the opened file's history")
        XCTAssertEqual(metadata.dataset, "earlier data")
        XCTAssertEqual(session.unsaved, [], "saved")
        XCTAssertFalse(session.controller.hasUnsavedTraining)

        XCTAssertFalse(session.handle(.key(.character("s"))))
        XCTAssertEqual(session.controller.state.prompt, .replaceFile(path: path, thenQuit: false), "an existing file is replaced only when asked")
        _ = session.handle(.key(.character("n")))
    }

    func testSavedMetadataAddsTheEpochsTrainedHere() throws {
        let session = session([opened("first", seed: 1)])
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        _ = session.handle(.key(.character("t")))
        poll(session) { session.models[0].training.status.epochs.count >= 2 }
        session.stopTraining()
        poll(session) { !session.isTraining }
        let status = session.models[0].training.status
        let metadata = session.models[0].metadataToSave(classes: ["a", "b", "c"], classFilter: "abc", at: date)
        XCTAssertEqual(metadata.epochs, 7 + status.epochsDone)
        XCTAssertEqual(metadata.dataset, "tiny (640)")
        XCTAssertEqual(metadata.classes, ["a", "b", "c"])
        XCTAssertEqual(metadata.classFilter, "abc")
        XCTAssertEqual(metadata.validationLoss, status.epochs.last?.validation)
        XCTAssertEqual(metadata.trainedAt, ISO8601DateFormatter().string(from: date))
        XCTAssertEqual(metadata.configuration, session.models[0].view.model.configuration)
    }

    /// A frame is drawn from the state without changing it, whatever the training panel shows; the
    /// terminal's size reaches the session only as a resize event.
    func testAFrameNeverChangesTheStateAndAResizeIsAnEvent() {
        let session = session([opened("first", seed: 1)])
        let before = session.controller.state
        var running = TrainingSession.Status(dataName: "tiny")
        running.phase = .running
        let frame = session.controller.render(session.renderer, width: 120, height: 40, training: running)
        XCTAssertEqual(session.controller.state, before, "rendering with the training panel open leaves the state as it was")
        XCTAssertEqual(frame.width, 120)
        XCTAssertEqual(session.frame().width, Self.screen.width, "a frame has the size of the last resize")
        XCTAssertFalse(session.handle(.resize(width: 90, height: 30)))
        let resized = session.frame()
        XCTAssertEqual([resized.width, resized.height], [90, 30])
        XCTAssertFalse(session.handle(.key(.character("?"))))
        XCTAssertTrue(session.frame().text.contains(HelpOverlay.footer), "the help, at the new size")
    }
}
