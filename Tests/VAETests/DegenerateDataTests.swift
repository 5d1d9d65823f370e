import Foundation
import XCTest
@testable import LetterData
@testable import VAE

/// Data sets at the edges: all-black images, a single image, a batch larger than the set, and a
/// class filter that leaves nothing. Each trains to finite weights or is refused with a message.
final class DegenerateDataTests: XCTestCase {
    private let configuration = ModelConfiguration.mlp(hiddenSize: 16, latentDim: 2)
    private let epochs = 3

    private func dataset(train: ImageSet, test: ImageSet) -> LabelledDataset {
        LabelledDataset(name: "edge", train: train, test: test, classNames: LabelledDataset.letterClassNames)
    }

    private func images(_ count: Int, pixel: (Int, Int) -> UInt8) -> ImageSet {
        var pixels: [UInt8] = []
        for image in 0 ..< count { for offset in 0 ..< ImageSet.pixelCount { pixels.append(pixel(image, offset)) } }
        return ImageSet(pixels: pixels, labels: (0 ..< count).map { $0 % 26 + 1 })
    }

    /// Trains and checks what `train` would save: finite weights, finite losses, at least one epoch kept.
    private func assertTrainsToFiniteWeights(_ data: LabelledDataset, batchSize: Int, file: StaticString = #filePath, line: UInt = #line) {
        let model = VAEModel(configuration: configuration, seed: 3)
        let outcome = Trainer(model: model, dataset: data, configuration: TrainingConfiguration(
            epochs: epochs, batchSize: batchSize, seed: 1, snapshotInterval: 0)).run()
        XCTAssertEqual(outcome.reason, .completed, file: file, line: line)
        XCTAssertGreaterThan(outcome.bestEpoch, 0, file: file, line: line)
        XCTAssertTrue(outcome.history.allSatisfy { $0.trainLoss.isFinite && ($0.validation?.total.isFinite ?? true) }, "\(outcome.history)", file: file, line: line)
        for (name, tensor) in model.tensors() {
            XCTAssertTrue(tensor.values.allSatisfy(\.isFinite), "\(name) holds NaN or infinity", file: file, line: line)
        }
    }

    func testAllBlackImagesTrainToFiniteWeights() {
        let black = images(40) { _, _ in 0 }
        assertTrainsToFiniteWeights(dataset(train: black, test: black.prefix(5)), batchSize: 16)
    }

    func testAllWhiteImagesTrainToFiniteWeights() {
        let white = images(40) { _, _ in 255 }
        assertTrainsToFiniteWeights(dataset(train: white, test: white.prefix(5)), batchSize: 16)
    }

    func testASingleImageTrains() {
        let one = images(1) { _, offset in UInt8(offset % 256) }
        assertTrainsToFiniteWeights(dataset(train: one, test: one), batchSize: 128)
    }

    func testABatchLargerThanTheSetTrains() {
        let few = images(7) { image, offset in UInt8((image * 31 + offset) % 256) }
        assertTrainsToFiniteWeights(dataset(train: few, test: few), batchSize: 1_000)
    }

    func testEvaluationWithFewerTrainingCodesThanNeighbours() throws {
        let two = images(2) { image, offset in UInt8((image * 100 + offset) % 256) }
        let result = try Evaluation.run(model: VAEModel(configuration: configuration, seed: 1), dataset: dataset(train: two, test: two), k: 5)
        XCTAssertTrue(result.loss.total.isFinite)
        XCTAssertTrue((0 ... 1).contains(result.knnAccuracy))
        XCTAssertEqual(result.testCount, 2)
    }

    func testAClassFilterThatLeavesNothingIsEmptyNotAnError() throws {
        let some = images(4) { _, _ in 9 }   // labels 1...4: a, b, c, d
        let filtered = try dataset(train: some, test: some).restricted(toClassNames: ["z"])
        XCTAssertEqual(filtered.train.count, 0, "the CLI turns this into a message naming --letters")
        XCTAssertThrowsError(try dataset(train: some, test: some).restricted(toClassNames: ["?"])) {
            XCTAssertEqual($0 as? DataError, .unknownClass("?", available: ["a", "b", "c", "d"]))
        }
    }
}
