import Foundation
import TestSupport
import XCTest
@testable import LetterData

/// Real NIST bytes: the EMNIST letters in the folder `LATENT_EXPLORER_DATA` names (IDX files, as NIST
/// ships them), read through the same loader as the full download. The counting tests are about the
/// project's partial copy (1,000 training letters, 8,265 test letters; see docs/data.md) and skip on
/// another copy; the others hold for any.
final class RealEMNISTTests: XCTestCase {
    /// Loaded once for all the tests.
    private static let dataset: Result<(folder: String, dataset: LabelledDataset), Error> = Result {
        let folder = try RealDataFolder.letters(holding: "emnist-letters-train-images-idx3-ubyte.gz")
        return (folder, try DatasetLoader.load(directory: folder))
    }

    private var folder: String { get throws { try Self.dataset.get().folder } }

    private func lettersSet() throws -> LabelledDataset { try Self.dataset.get().dataset }

    /// The partial copy's numbers are only right for the partial copy.
    private func partialSet() throws -> LabelledDataset {
        let dataset = try lettersSet()
        guard dataset.train.count == Self.partialTrainCount else {
            throw XCTSkip("\(RealDataFolder.variable) holds \(dataset.train.count) training letters; this test counts the partial copy's \(Self.partialTrainCount)")
        }
        return dataset
    }

    private static let partialTrainCount = 1_000

    private func counts(_ labels: [Int]) -> [Int: Int] {
        labels.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    func testCountsAndLabels() throws {
        let dataset = try partialSet()
        XCTAssertEqual(dataset.name, "emnist-letters (idx)")
        XCTAssertEqual(dataset.train.count, 1_000)
        XCTAssertEqual(dataset.test.count, 8_265)
        XCTAssertEqual(dataset.labelsPresent, Array(LabelledDataset.letterLabels))
        let train = counts(dataset.train.labels)
        XCTAssertEqual(Set(train.keys), Set(LabelledDataset.letterLabels))
        XCTAssertTrue(train.values.allSatisfy { (26 ... 53).contains($0) }, "26-53 training letters a class: \(train)")
    }

    /// 640 each of a-l (first, in NIST's order, sorted by class), 339 m, 24-48 each of n-s, one each of t-z.
    func testTestSplitLoadsWithItsUnevenClasses() throws {
        let dataset = try partialSet()
        let test = counts(dataset.test.labels)
        for label in 1 ... 12 { XCTAssertEqual(test[label], 640, "class \(dataset.className(label))") }
        XCTAssertEqual(test[13], 339)
        for label in 14 ... 19 { XCTAssertTrue((24 ... 48).contains(test[label] ?? 0), "class \(dataset.className(label)): \(test[label] ?? 0)") }
        for label in 20 ... 26 { XCTAssertEqual(test[label], 1, "class \(dataset.className(label))") }
        let sortedStart = (1 ... 12).flatMap { Array(repeating: $0, count: 640) }
        XCTAssertTrue(Array(dataset.test.labels.prefix(sortedStart.count)) == sortedStart,
                      "the first 7,680 test letters are a-l, sorted by class as NIST stores them")

        // The held-out part represents every class, including the seven with a single test letter.
        let partition = TestPartition(labels: dataset.test.labels)
        XCTAssertEqual(Set(partition.heldOut.map { dataset.test.labels[$0] }), Set(LabelledDataset.letterLabels))
        for label in 20 ... 26 {
            XCTAssertTrue(partition.heldOut.contains(dataset.test.indices(ofLabel: label)[0]))
        }
        XCTAssertEqual(partition.heldOut.count + partition.validation.count + partition.rest.count, 8_265)
        XCTAssertEqual(partition.heldOut.filter { dataset.test.labels[$0] == 1 }.count, 160)
        XCTAssertEqual(partition.validation.filter { dataset.test.labels[$0] == 1 }.count, 64)
    }

    func testMappingNamesTheLetters() throws {
        let dataset = try lettersSet()
        let mapping = try ClassNames.readMapping(try folder + "/emnist-letters-mapping.txt")
        XCTAssertEqual(mapping.count, 26)
        XCTAssertEqual(dataset.classNames, mapping)
        XCTAssertEqual(dataset.className(1), "a")
        XCTAssertEqual(dataset.className(7), "g")
        XCTAssertEqual(dataset.className(26), "z")
    }

    /// Upright letters, checked on features that any transpose or flip moves: i and l are tall, not wide;
    /// p, q, f and y carry their ink high (bowls and bars above the middle), b, d and h low (bowls below
    /// a tall stem); and none of them sits off to a side on average.
    func testLettersAreUprightAfterLoading() throws {
        let dataset = try lettersSet()
        let images = ImageSet.concatenating([dataset.train, dataset.test])
        func mean(_ label: Int, _ value: (LetterMeasures) -> Double) -> Double {
            let indices = images.indices(ofLabel: label)
            return indices.reduce(0) { $0 + value(LetterMeasures(image: images.image($1))) } / Double(indices.count)
        }
        let letter = { (name: Character) in Int(name.asciiValue!) - 96 }
        for name in "il" {
            let height = mean(letter(name)) { Double($0.height) }, width = mean(letter(name)) { Double($0.width) }
            XCTAssertGreaterThan(height, 1.6 * width, "\(name) is tall: height \(height), width \(width)")
        }
        for name in "pqfy" {
            let y = mean(letter(name)) { $0.centroidY }, x = mean(letter(name)) { $0.centroidX }
            XCTAssertLessThan(y, -0.5, "\(name) carries its ink high (centroid y \(y))")
            XCTAssertLessThan(abs(x), abs(y), "\(name): centroid x \(x) against y \(y)")
        }
        for name in "bdh" {
            let y = mean(letter(name)) { $0.centroidY }, x = mean(letter(name)) { $0.centroidX }
            XCTAssertGreaterThan(y, 0.5, "\(name) carries its ink low (centroid y \(y))")
            XCTAssertLessThan(abs(x), abs(y), "\(name): centroid x \(x) against y \(y)")
        }
    }

    /// On disk the bytes are NIST's: column-major, so the loader's first image is the file's transposed.
    func testLoaderTransposesTheFileBytes() throws {
        let dataset = try lettersSet()
        var raw = try FileBytes.read(try folder + "/emnist-letters-train-images-idx3-ubyte.gz")
        raw.removeFirst(16)
        let image = Array(dataset.train.image(0))
        let transposedFile = (0 ..< 784).map { raw[($0 % 28) * 28 + $0 / 28] }
        XCTAssertTrue(image == transposedFile, "pixel (row, column) is the file's byte (column, row)")
        XCTAssertFalse(image == Array(raw[0 ..< 784]), "a letter is not its own transpose")
    }
}
