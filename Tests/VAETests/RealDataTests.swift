import Foundation
import TestSupport
import XCTest
@testable import LetterData
@testable import VAE

/// The real data sets the machine running the tests has: Fashion-MNIST from Debian's package, EMNIST letters when a copy
/// is present. Each test is skipped, and says why, when its data is absent.
final class RealDataTests: XCTestCase {
    func testFashionMNISTFromDebiansPackage() throws {
        let folder = "/usr/share/datasets/fashion-mnist"
        guard FileManager.default.fileExists(atPath: folder) else {
            throw XCTSkip("Fashion-MNIST not installed: apt-get install dataset-fashion-mnist")
        }
        let dataset = try DatasetLoader.load(directory: folder)
        XCTAssertEqual(dataset.train.count, 60_000)
        XCTAssertEqual(dataset.test.count, 10_000)
        XCTAssertEqual(dataset.labelsPresent, Array(0 ... 9))
        XCTAssertEqual(dataset.className(9), "Ankle boot")
    }

    /// Real data end to end: a short training run on Fashion-MNIST must bring the test loss far below
    /// the untrained model's (about 550 nats per image; a trained model reaches 270-300 within an epoch).
    func testShortTrainingOnFashionMNISTLowersTheTestLoss() throws {
        let folder = "/usr/share/datasets/fashion-mnist"
        guard FileManager.default.fileExists(atPath: folder) else {
            throw XCTSkip("Fashion-MNIST not installed: apt-get install dataset-fashion-mnist")
        }
        let full = try DatasetLoader.load(directory: folder)
        let dataset = LabelledDataset(name: full.name, train: full.train.prefix(12_000), test: full.test.prefix(2_000),
                                      classNames: full.classNames)
        let model = VAEModel(seed: 0)
        let untrained = Inference(model: model).negativeELBO(dataset.test).total
        let outcome = Trainer(model: model, dataset: dataset,
                              configuration: TrainingConfiguration(epochs: 2, batchSize: 128, seed: 0, snapshotInterval: 0)).run()
        let trained = try XCTUnwrap(outcome.bestValidation).total
        print("Fashion-MNIST test loss: untrained \(untrained), after 2 epochs on 12,000 images \(trained)")
        XCTAssertLessThan(trained, untrained * 0.6, "untrained \(untrained), trained \(trained)")
        XCTAssertLessThan(trained, 320)
    }

    func testEMNISTLettersWhenPresent() throws {
        guard let folder = ProcessInfo.processInfo.environment["EMNIST_DIR"], FileManager.default.fileExists(atPath: folder) else {
            throw XCTSkip("EMNIST_DIR is not set to a folder: point it at the full EMNIST letters (docs/data.md) to run this test")
        }
        let dataset = try DatasetLoader.load(directory: folder)
        XCTAssertEqual(dataset.labelsPresent, Array(LabelledDataset.letterLabels))
        XCTAssertTrue(dataset.train.count == LabelledDataset.emnistLettersIDXSizes.train || dataset.train.count == LabelledDataset.emnistLettersCSVSizes.train, "\(dataset.train.count)")
        // Upright letters: 'l' (12) is a tall vertical stroke, so its ink spreads more over rows than columns.
        let ls = dataset.train.indices(ofLabel: 12).prefix(500)
        var rowSpread = 0.0, columnSpread = 0.0
        for index in ls {
            let image = dataset.train.image(index)
            var rows = Set<Int>(), columns = Set<Int>()
            for (offset, value) in image.enumerated() where value > 128 { rows.insert(offset / 28); columns.insert(offset % 28) }
            rowSpread += Double(rows.count); columnSpread += Double(columns.count)
        }
        XCTAssertGreaterThan(rowSpread, columnSpread * 1.5, "letters must be upright after loading")
    }

    /// The float CSV export seen in the wild (`13.0,0.0,...`, CRLF) holds the same 1,000 training letters
    /// as the partial copy's IDX files: both must load to identical upright images and labels.
    func testFloatCSVExportMatchesTheIDXFilesOfTheSameLetters() throws {
        let folder = try RealDataFolder.letters(holding: "kaggle-csv-floats/emnist-letters-train.csv")
        let fromCSV = try DatasetLoader.load(directory: folder + "/kaggle-csv-floats")
        let fromIDX = try DatasetLoader.load(directory: folder)
        XCTAssertEqual(fromCSV.name, "emnist-letters (csv)")
        XCTAssertEqual(fromCSV.train.count, 1_000)
        XCTAssertEqual(fromCSV.test.count, 1_000)
        XCTAssertEqual(fromCSV.train.labels, fromIDX.train.labels)
        XCTAssertEqual(fromCSV.train.pixels, fromIDX.train.pixels)
        XCTAssertEqual(fromCSV.className(26), "z")
    }
}
