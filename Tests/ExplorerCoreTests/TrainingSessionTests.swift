import ExplorerCore
import Foundation
import LetterData
import VAE
import XCTest

final class TrainingSessionTests: XCTestCase {
    private func makeSession() -> TrainingSession {
        TrainingSession(dataName: "tiny", configuration: TrainingConfiguration(epochs: 1_000, batchSize: 32, snapshotInterval: 0.05)) {
            SyntheticLetters.makeDataset(trainCount: 640, testCount: 64, seed: 2)
        }
    }

    /// The newest snapshot seen by any poll in this test.
    private var latestSnapshot: ModelSnapshot?

    @discardableResult
    private func poll(_ session: TrainingSession, until predicate: (TrainingSession.Status) -> Bool) -> ModelSnapshot? {
        let deadline = Date().addingTimeInterval(30)
        repeat {
            latestSnapshot = session.poll() ?? latestSnapshot
            if predicate(session.status) { break }
            Thread.sleep(forTimeInterval: 0.01)
        } while Date() < deadline
        XCTAssertTrue(predicate(session.status), "status: \(session.status.phase)")
        return latestSnapshot
    }

    func testToggleStartsPausesResumesAndSnapshotsArrive() {
        let session = makeSession()
        let model = VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 16), seed: 1)
        session.toggle(model: model)
        XCTAssertEqual(session.status.phase, .preparing)
        poll(session) { $0.phase == .running && !$0.epochs.isEmpty }
        session.toggle(model: model)
        poll(session) { $0.phase == .paused }
        session.toggle(model: model)
        poll(session) { $0.phase == .running }
        let snapshot = poll(session) { $0.epochs.count >= 3 }
        XCTAssertNotNil(snapshot, "weight snapshots reach the UI")
        XCTAssertNotEqual(try snapshot?.makeModel().tensors(), model.tensors(), "the UI's model is not trained in place")
        session.stopAndWait()
        poll(session) { if case .finished = $0.phase { return true } else { return false } }
        XCTAssertFalse(session.isActive)
    }

    /// A conditional model trains in the explorer's background too: the labels reach its batches, and
    /// its snapshots keep its class names. One whose classes the data lacks stops in one line.
    func testAConditionalModelTrainsInTheBackground() throws {
        let session = makeSession()
        let model = VAEModel(configuration: ModelConfiguration.cvae(hiddenSize: 16), seed: 1)
        session.toggle(model: model)
        let snapshot = try XCTUnwrap(poll(session) { $0.epochs.count >= 2 })
        let trained = try snapshot.makeModel()
        XCTAssertEqual(trained.classNames, model.classNames)
        XCTAssertNotEqual(trained.tensors(), model.tensors())
        session.stopAndWait()

        let digitsOnly = makeSession()
        digitsOnly.toggle(model: VAEModel(configuration: ModelConfiguration.cvae(hiddenSize: 16, classCount: 2), classNames: ["0", "1"]))
        poll(digitsOnly) { if case .finished(let message) = $0.phase { return message.contains("not one of the conditional model's classes") } else { return false } }
    }

    /// `{` and `}` halve and double β: before a run it is the run's β; during one the trainer takes it
    /// between batches (its progress reports it); below 1/64 it goes to 0 and comes back.
    func testTheKLWeightIsHalvedAndDoubledBeforeAndDuringARun() {
        let session = makeSession()
        XCTAssertEqual(session.status.klWeight, 1)
        XCTAssertEqual(session.scaleKLWeight(by: 2), 2)
        let model = VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 16), seed: 1)
        session.toggle(model: model)
        defer { session.stopAndWait() }
        poll(session) { $0.progress?.klWeight == 2 }
        XCTAssertEqual(session.scaleKLWeight(by: 2), 4)
        poll(session) { $0.progress?.klWeight == 4 }
        for _ in 0 ..< 8 { session.scaleKLWeight(by: 0.5) }
        XCTAssertEqual(session.status.klWeight, 1.0 / 64)
        XCTAssertEqual(session.scaleKLWeight(by: 0.5), 0)
        XCTAssertEqual(session.scaleKLWeight(by: 0.5), 0)
        poll(session) { $0.progress?.klWeight == 0 }
        XCTAssertEqual(session.scaleKLWeight(by: 2), 1.0 / 64)
        for _ in 0 ..< 20 { session.scaleKLWeight(by: 2) }
        XCTAssertEqual(session.status.klWeight, 1_000, "held at the top of the range")
    }

    /// The training thread runs at the UI's priority, as its pool's workers do: a niced thread would
    /// get a fraction of the CPU of any unniced one it meets (its nice value read from /proc).
    func testTrainingThreadRunsAtTheUIsPriority() throws {
        let session = makeSession()
        session.toggle(model: VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 16), seed: 1))
        defer { session.stopAndWait() }
        poll(session) { $0.phase == .running }
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        let training = tasks.first { task in
            (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) == TrainingSession.threadName + "\n"
        }
        let names = tasks.map { (try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8)) ?? "?" }
        let task = try XCTUnwrap(training, "no explorer-training thread among \(names)")
        let stat = try String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8)
        // Fields after the parenthesised name: state is field 3, nice is field 19.
        let fields = stat[stat.range(of: ")")!.upperBound...].split(separator: " ")
        XCTAssertEqual(Int32(fields[16]), getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0),
                       "the training thread's nice value is the test's own thread's")
    }

    /// Quitting while the data is still being prepared: the thread ends without training.
    /// `t` again the moment a run reports its end, while that run's thread may still be finishing,
    /// then a stop: `stopAndWait` returns only once the new run's thread has ended too (an older
    /// thread's end must not speak for it), 1,000 times over.
    func testStopAndWaitAfterRestartingAtTheEndOfARunWaitsForTheNewThread() {
        let restarts = 1_000
        let images = SyntheticLetters.makeDataset(trainCount: 32, testCount: 8, seed: 3)
        let model = VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 4), seed: 1)
        for restart in 0 ..< restarts {
            let session = TrainingSession(dataName: "one batch",
                                          configuration: TrainingConfiguration(epochs: 1, batchSize: 32, validationFraction: 0,
                                                                               snapshotInterval: 0)) { images }
            session.toggle(model: model)
            let deadline = Date().addingTimeInterval(30)
            repeat {
                _ = session.poll()
                if case .finished = session.status.phase { break }
            } while Date() < deadline
            session.toggle(model: model)   // a new run, right after the old one said it finished
            session.stopAndWait()
            XCTAssertEqual(TrainingSession.liveThreadCount, 0, "restart \(restart): a training thread outlived stopAndWait")
            if TrainingSession.liveThreadCount != 0 { break }
        }
    }

    func testStopAndWaitWhilePreparingEndsTheThread() {
        let session = TrainingSession(dataName: "slow", configuration: TrainingConfiguration(epochs: 1_000, snapshotInterval: 0)) {
            Thread.sleep(forTimeInterval: 0.3)
            return SyntheticLetters.makeDataset(trainCount: 260, testCount: 26, seed: 2)
        }
        session.toggle(model: VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 8)))
        let start = Date()
        session.stopAndWait()
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertNil(session.poll())
        XCTAssertNotEqual(session.status.phase, .running)
    }
}
