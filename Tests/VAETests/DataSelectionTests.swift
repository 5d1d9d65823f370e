import Foundation
import XCTest
@testable import LetterData

/// Mixing sources, the fixed held-out part of real test splits, and oversampling real letters.
final class DataSelectionTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-selection-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A small "real" EMNIST letters folder: 2 training images a class, and uneven test classes
    /// (`testCounts[label - 1]` images of each label), each image's first pixel its index in its split.
    private func writeRealFolder(testCounts: [Int]) throws {
        func images(_ labels: [Int]) -> ImageSet {
            var pixels: [UInt8] = []
            for (index, _) in labels.enumerated() {
                var image = [UInt8](repeating: 0, count: 784)
                image[0] = UInt8(index % 256); image[1] = UInt8(index / 256)
                pixels += image
            }
            return ImageSet(pixels: pixels, labels: labels)
        }
        let trainLabels = LabelledDataset.letterLabels.flatMap { [$0, $0] }
        let testLabels = testCounts.enumerated().flatMap { Array(repeating: $0.offset + 1, count: $0.element) }
        for (split, labels) in [("train", trainLabels), ("test", testLabels)] {
            try DatasetWriter.writeIDX(images(labels), imagesPath: "\(folder)/emnist-letters-\(split)-images-idx3-ubyte",
                                       labelsPath: "\(folder)/emnist-letters-\(split)-labels-idx1-ubyte", gzip: false, transposed: true)
        }
    }

    /// The partial set's shape: many of the first classes, a few of the middle ones, one of the last.
    private let unevenCounts = Array(repeating: 40, count: 12) + [21] + Array(repeating: 5, count: 6) + Array(repeating: 1, count: 7)

    // MARK: the held-out partition

    func testPartitionIsStratifiedDisjointCompleteAndFixed() {
        let labels = unevenCounts.enumerated().flatMap { Array(repeating: $0.offset + 1, count: $0.element) }
        let partition = TestPartition(labels: labels)
        let all = partition.heldOut + partition.validation + partition.rest
        XCTAssertEqual(all.sorted(), Array(labels.indices), "every index in exactly one part")
        func count(_ part: [Int], _ label: Int) -> Int { part.filter { labels[$0] == label }.count }
        for label in LabelledDataset.letterLabels {
            let n = unevenCounts[label - 1]
            XCTAssertEqual(count(partition.heldOut, label), Int((Double(n) / 4).rounded(.up)), "held out of class \(label)")
            XCTAssertEqual(count(partition.validation, label), min(n / 10, n - Int((Double(n) / 4).rounded(.up))))
        }
        XCTAssertEqual(partition, TestPartition(labels: labels), "the same for the same labels")
        XCTAssertNotEqual(partition, TestPartition(labels: labels, seed: 7), "another seed, another partition")
        // A class is divided on its own: dropping the other classes keeps its held-out letters.
        let firstClassOnly = TestPartition(labels: Array(labels.prefix(40)))
        XCTAssertEqual(firstClassOnly.heldOut, partition.heldOut.filter { $0 < 40 })
    }

    /// The division is written out (not the standard library's shuffle), so it is pinned here: a change
    /// to it changes which letters the published scores were measured on.
    func testPartitionOfOneClassIsPinned() {
        let partition = TestPartition(labels: Array(repeating: 1, count: 20))
        XCTAssertEqual(partition.heldOut.count, 5)
        XCTAssertEqual(partition.validation.count, 2)
        XCTAssertEqual(partition.heldOut, [0, 1, 15, 17, 19])
        XCTAssertEqual(partition.validation, [8, 14])
    }

    // MARK: mixing and choosing

    func testMixtureTrainsOnSyntheticRealAndTheRestOfTheRealTestLetters() throws {
        try writeRealFolder(testCounts: unevenCounts)
        let source = DataSource.mixture([.synthetic(trainCount: 52, testCount: 26), .directory(folder)])
        let real = try DatasetLoader.load(directory: folder)
        let partition = TestPartition(labels: real.test.labels)

        let mixed = try DataSelection(source: source, testSplit: .validation, trainOnRealTest: true, realRepeat: 3).load()
        XCTAssertEqual(mixed.train.count, 52 + 3 * (52 + partition.rest.count))
        XCTAssertEqual(mixed.test.labels, partition.validation.map { real.test.labels[$0] })
        XCTAssertTrue(mixed.test.pixels == real.test.subset(partition.validation).pixels)
        // No held-out letter is in the training split: first two pixels number the test images.
        let trainedTestIndices = Set(stride(from: 52 + 3 * 52, to: mixed.train.count, by: 1).map { index -> Int in
            let image = mixed.train.image(index)
            return Int(image[image.startIndex]) + 256 * Int(image[image.startIndex + 1])
        })
        XCTAssertEqual(trainedTestIndices, Set(partition.rest))
        XCTAssertTrue(trainedTestIndices.isDisjoint(with: partition.heldOut))
        XCTAssertTrue(mixed.name.contains("test-rest \(partition.rest.count) x3"), mixed.name)
        XCTAssertTrue(mixed.name.hasPrefix("synthetic-letters train 52 + "), mixed.name)
        // Early stopping's images: the real validation part, once each, none of them trained on.
        XCTAssertEqual(mixed.validation?.pixels, real.test.subset(partition.validation).pixels)
        XCTAssertTrue(Set(partition.validation).isDisjoint(with: trainedTestIndices))
        XCTAssertNil(try DataSelection(source: .directory(folder), testSplit: .heldOut).load().validation,
                     "without --train-on-real-test the trainer holds out part of the training split")

        let scored = try DataSelection(source: .directory(folder), testSplit: .heldOut).load()
        XCTAssertEqual(scored.train.count, 52, "the kNN references are the real training letters")
        XCTAssertEqual(scored.test.count, partition.heldOut.count)
        XCTAssertEqual(Set(scored.test.labels), Set(LabelledDataset.letterLabels), "every class is scored")

        let plain = try DataSelection(source: source).load()
        XCTAssertEqual(plain.train.count, 52 + 52)
        XCTAssertEqual(plain.test.count, 26 + real.test.count)
    }

    /// A folder with only MNIST's t10k files: trained on the test split's trainable part, validated on
    /// its validation tenth, scored on its held-out quarter (never trained on), with a note that says so.
    func testAFolderWithOnlyATestSplitTrainsOutsideItsHeldOutQuarter() throws {
        let labels = (0 ..< 200).map { $0 % 10 }
        var pixels: [UInt8] = []
        for index in labels.indices {
            var image = [UInt8](repeating: 0, count: 784)
            image[0] = UInt8(index % 256)
            pixels += image
        }
        try DatasetWriter.writeIDX(ImageSet(pixels: pixels, labels: labels), imagesPath: "\(folder)/t10k-images-idx3-ubyte",
                                   labelsPath: "\(folder)/t10k-labels-idx1-ubyte", gzip: false, transposed: false)
        let partition = TestPartition(labels: labels)
        for split in [DataSelection.TestSplit.all, .heldOut] {
            for trainOnRealTest in [false, true] where !(split == .all && trainOnRealTest) {
                let dataset = try DataSelection(source: .directory(folder), testSplit: split, trainOnRealTest: trainOnRealTest).load()
                XCTAssertEqual(dataset.train.count, partition.rest.count)
                XCTAssertEqual(dataset.test.count, partition.heldOut.count, "the held-out quarter is the test split")
                XCTAssertEqual(dataset.validation?.count, partition.validation.count)
                XCTAssertEqual(Set(dataset.train.labels), Set(0 ..< 10))
                let trainedOn = Set((0 ..< dataset.train.count).map { dataset.train.image($0).first! })
                let scoredOn = Set((0 ..< dataset.test.count).map { dataset.test.image($0).first! })
                XCTAssertTrue(trainedOn.isDisjoint(with: scoredOn), "no scored image is trained on")
                XCTAssertTrue(dataset.note?.contains("holds only a test split") ?? false, dataset.note ?? "no note")
                XCTAssertTrue(dataset.name.contains("test-heldout \(partition.heldOut.count)"), dataset.name)
            }
        }
        XCTAssertEqual(try DataSelection(source: .directory(folder), testSplit: .validation).load().test.count,
                       partition.validation.count)
    }

    /// --balance-real-classes: every class of the real folder gets realRepeat times the largest class's
    /// letters, a scarce class's letters each repeated more often (and in turn), the synthetic letters untouched.
    func testBalancingGivesEveryRealClassTheLargestClassCount() throws {
        try writeRealFolder(testCounts: unevenCounts)
        let source = DataSource.mixture([.synthetic(trainCount: 52, testCount: 26), .directory(folder)])
        let real = try DatasetLoader.load(directory: folder)
        let partition = TestPartition(labels: real.test.labels)
        let pool = ImageSet.concatenating([real.train, real.test.subset(partition.rest)])
        let largest = LabelledDataset.letterLabels.map { pool.indices(ofLabel: $0).count }.max()!
        for distort in [false, true] {
            let mixed = try DataSelection(source: source, testSplit: .heldOut, trainOnRealTest: true, realRepeat: 2,
                                          distortRepeats: distort, balanceClasses: true).load()
            let realPart = ImageSet(pixels: Array(mixed.train.pixels[(52 * 784)...]), labels: Array(mixed.train.labels[52...]))
            for label in LabelledDataset.letterLabels {
                XCTAssertEqual(realPart.indices(ofLabel: label).count, 2 * largest, "class \(label)")
            }
            XCTAssertTrue(mixed.name.contains("balanced to \(2 * largest) a class"), mixed.name)
            XCTAssertEqual(mixed.name.contains("repeats distorted"), distort, mixed.name)
            guard !distort else { continue }
            // Without distortion each copy is one of the class's letters, each used a number of times
            // that differs by at most one from the others'.
            let scarce = LabelledDataset.letterLabels.last!
            var uses: [[UInt8]: Int] = [:]
            for index in realPart.indices(ofLabel: scarce) { uses[Array(realPart.image(index)), default: 0] += 1 }
            XCTAssertEqual(uses.count, pool.indices(ofLabel: scarce).count, "every letter of the class is used")
            XCTAssertLessThanOrEqual(uses.values.max()! - uses.values.min()!, 1)
        }
    }

    func testSelectionsThatMakeNoSense() throws {
        try writeRealFolder(testCounts: unevenCounts)
        let synthetic = DataSource.synthetic(trainCount: 26, testCount: 26)
        func error(_ selection: DataSelection) -> DataSelectionError? {
            do { _ = try selection.load(); return nil } catch { return error as? DataSelectionError }
        }
        XCTAssertEqual(error(DataSelection(source: synthetic, testSplit: .heldOut)), .noRealTestSplit(.heldOut))
        XCTAssertEqual(error(DataSelection(source: synthetic, trainOnRealTest: true)), .noRealTestSplit(nil))
        XCTAssertEqual(error(DataSelection(source: .directory(folder), trainOnRealTest: true)), .wouldScoreTrainingLetters)
        XCTAssertEqual(error(DataSelection(source: .directory(folder), realRepeat: 0)), .badRepeat(0))
        XCTAssertEqual(error(DataSelection(source: .mixture([synthetic, .directory("")]))), .emptySourceName)
        let fashion = folder + "/fashion"
        try FileManager.default.createDirectory(atPath: fashion, withIntermediateDirectories: true)
        let digits = ImageSet(pixels: [UInt8](repeating: 0, count: 784 * 9), labels: Array(1 ... 9))
        for prefix in ["train", "t10k"] {
            try DatasetWriter.writeIDX(digits, imagesPath: "\(fashion)/\(prefix)-images-idx3-ubyte",
                                       labelsPath: "\(fashion)/\(prefix)-labels-idx1-ubyte", gzip: false, transposed: false)
        }
        XCTAssertEqual(error(DataSelection(source: .mixture([.directory(folder), .directory(fashion)]))),
                       .classesDisagree(label: 1, "a", "Trouser"))
        for case let failure? in [DataSelectionError.emptySourceName, .badRepeat(0), .noRealTestSplit(.heldOut),
                                  .noRealTestSplit(nil), .wouldScoreTrainingLetters] as [DataSelectionError?] {
            XCTAssertFalse(failure.description.contains("\n"), "one line: \(failure)")
        }
    }

    func testResolveNamesMixturesButKeepsFoldersWithAPlus() throws {
        XCTAssertEqual(DataSource.resolve("synthetic+/data/emnist", environment: [:]),
                       .mixture([.fullSynthetic, .directory("/data/emnist")]))
        XCTAssertEqual(DataSource.resolve("/data/emnist", environment: [:], emnistSplit: .digits), .directory("/data/emnist", split: .digits))
        XCTAssertEqual(DataSource.resolve(nil, environment: ["EMNIST_DIR": "a+b"]), .mixture([.directory("a"), .directory("b")]))
        let plusFolder = folder + "/c++"
        try FileManager.default.createDirectory(atPath: plusFolder, withIntermediateDirectories: true)
        XCTAssertEqual(DataSource.resolve(plusFolder, environment: [:]), .directory(plusFolder))
        XCTAssertEqual(DataSource.mixture([.fullSynthetic, .mixture([.directory("x"), .directory("y")])]).parts.count, 3)
    }

    func testImageSetSubsetConcatenationAndRepetition() {
        let set = ImageSet(pixels: (0 ..< 3).flatMap { [UInt8](repeating: UInt8($0), count: 784) }, labels: [5, 6, 7])
        XCTAssertEqual(set.subset([2, 0]).labels, [7, 5])
        XCTAssertEqual(set.subset([2, 0]).image(0).first, 2)
        XCTAssertEqual(set.repeated(2).labels, [5, 6, 7, 5, 6, 7])
        XCTAssertEqual(ImageSet.concatenating([set, set.subset([1])]).labels, [5, 6, 7, 6])
        XCTAssertEqual(set.subset([]).count, 0)
    }
}
