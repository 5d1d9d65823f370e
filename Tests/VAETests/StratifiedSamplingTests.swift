import Foundation
import TestSupport
import XCTest
@testable import LetterData
@testable import VAE

final class StratifiedSamplingTests: XCTestCase {
    /// NIST's test-file order: every label's images together, 800 a's then 800 b's, ...
    private let classSorted = LabelledDataset.letterLabels.flatMap { [Int](repeating: $0, count: 800) }

    private func counts(_ indices: [Int], _ labels: [Int]) -> [Int: Int] {
        indices.reduce(into: [:]) { $0[labels[$1], default: 0] += 1 }
    }

    func testClassSortedLabelsGiveEveryClassAnEqualShare() {
        let chosen = StratifiedSampling.indices(labels: classSorted, count: 2_600, seed: 7)
        XCTAssertEqual(chosen.count, 2_600)
        XCTAssertEqual(counts(chosen, classSorted), Dictionary(uniqueKeysWithValues: LabelledDataset.letterLabels.map { ($0, 100) }))
        XCTAssertEqual(chosen, chosen.sorted(), "the original order is kept")
        XCTAssertEqual(Set(chosen).count, chosen.count, "no image twice")
        // What the explorer did before: the first 2,600 hold only a-d.
        XCTAssertEqual(Set(classSorted.prefix(2_600)), [1, 2, 3, 4])
    }

    func testSmallClassesGiveTheirShareToTheOthers() {
        // Like the partial EMNIST test set: big classes, a middle one, and singletons.
        let labels = [Int](repeating: 1, count: 640) + [Int](repeating: 2, count: 640) + [Int](repeating: 3, count: 30)
            + [4, 5, 6]
        let chosen = StratifiedSampling.indices(labels: labels, count: 300, seed: 1)
        let perClass = counts(chosen, labels)
        XCTAssertEqual(chosen.count, 300)
        XCTAssertEqual(perClass[3], 30)
        XCTAssertEqual(perClass[4], 1)
        XCTAssertEqual(perClass[6], 1)
        XCTAssertEqual(perClass[1]! + perClass[2]!, 267)
        XCTAssertLessThanOrEqual(abs(perClass[1]! - perClass[2]!), 1, "the leftover is shared evenly")
    }

    func testSeededAndCapped() {
        let labels = (0 ..< 5_000).map { ($0 * 7919) % 26 + 1 }
        let a = StratifiedSampling.indices(labels: labels, count: 520, seed: 3)
        XCTAssertEqual(a, StratifiedSampling.indices(labels: labels, count: 520, seed: 3), "same seed, same sample")
        XCTAssertNotEqual(a, StratifiedSampling.indices(labels: labels, count: 520, seed: 4), "the seed matters")
        XCTAssertEqual(StratifiedSampling.indices(labels: labels, count: 9_999, seed: 3), Array(0 ..< 5_000), "all when asked for more")
        XCTAssertEqual(StratifiedSampling.indices(labels: labels, count: 0, seed: 3), [])
        XCTAssertEqual(StratifiedSampling.indices(labels: [], count: 10, seed: 3), [])
    }

    func testShareArithmetic() {
        XCTAssertEqual(StratifiedSampling.shares(of: 10, sizes: [5, 5, 5]), [4, 3, 3])
        XCTAssertEqual(StratifiedSampling.shares(of: 10, sizes: [1, 100, 2]), [1, 7, 2])
        XCTAssertEqual(StratifiedSampling.shares(of: 50, sizes: [1, 2]), [1, 2])
    }

    func testImageSetSampleKeepsPixelsWithTheirLabels() {
        let labels = [1, 1, 1, 2, 2, 2]
        let pixels = labels.indices.flatMap { [UInt8](repeating: UInt8($0), count: ImageSet.pixelCount) }
        let (sample, sources) = ImageSet(pixels: pixels, labels: labels).stratifiedSample(count: 2, seed: 0)
        XCTAssertEqual(sample.labels, [1, 2])
        for (position, source) in sources.enumerated() {
            XCTAssertEqual(sample.image(position).first, UInt8(source))
            XCTAssertEqual(sample.labels[position], labels[source])
        }
    }

    /// NIST's real label file (the full test labels, sorted by class), from the real-data folder.
    func testRealClassSortedEMNISTTestLabels() throws {
        let name = "full-labels/emnist-letters-test-labels-idx1-ubyte.gz"
        let path = try RealDataFolder.letters(holding: name) + "/" + name
        let labels = try IDXReader.readLabels(path)
        XCTAssertEqual(labels.count, LabelledDataset.emnistLettersIDXSizes.test)
        XCTAssertEqual(Set(labels.prefix(2_600)), [1, 2, 3, 4], "the file is sorted by class")
        let chosen = StratifiedSampling.indices(labels: labels, count: 2_600, seed: 11)
        XCTAssertEqual(Set(chosen.map { labels[$0] }), Set(LabelledDataset.letterLabels))
        XCTAssertTrue(counts(chosen, labels).values.allSatisfy { $0 == 100 })
    }
}
