import ExplorerCore
import Foundation
import LetterData
import TestSupport
import XCTest

/// The letters the explorer shows come from every class, whatever order the data set's files use.
final class ExplorerDataTests: XCTestCase {
    /// Labels sorted by class, as in NIST's letters test file.
    func testClassSortedTestSetShowsEveryClass() {
        let perClass = 40
        let labels = LabelledDataset.letterLabels.flatMap { [Int](repeating: $0, count: perClass) }
        let images = ImageSet(pixels: [UInt8](repeating: 0, count: labels.count * ImageSet.pixelCount), labels: labels)
        let dataset = LabelledDataset(name: "sorted", train: images, test: images, classNames: LabelledDataset.letterClassNames)
        let data = ExplorerData(dataset: dataset, testCount: 260, referenceCount: 520)
        XCTAssertEqual(data.catalog.entries.map(\.name), LabelledDataset.letterLabels.map { LabelledDataset.letterClassNames[$0]! })
        XCTAssertTrue(data.catalog.entries.allSatisfy { $0.testIndices.count == 10 })
        XCTAssertEqual(Set(data.reference.labels), Set(LabelledDataset.letterLabels))
        XCTAssertEqual(data.testSourceIndices.count, 260)
        for (position, source) in data.testSourceIndices.enumerated() { XCTAssertEqual(data.test.labels[position], labels[source]) }
        XCTAssertEqual(data.testSourceIndices, ExplorerData(dataset: dataset, testCount: 260).testSourceIndices, "seeded")
    }

    /// The partial real EMNIST copy: 640 each of a-l, 339 m, a few n-s, one each of t-z. Every class
    /// with test letters can be browsed (before, only a-d could).
    func testPartialEMNISTEveryClassCanBeBrowsed() throws {
        let folder = try RealDataFolder.letters()
        let dataset = try DatasetLoader.load(directory: folder)
        let data = ExplorerData(dataset: dataset, testCount: 2_600)
        let present = Set(dataset.test.labels)
        XCTAssertEqual(Set(data.catalog.entries.map(\.label)), present)
        XCTAssertEqual(present.count, 26)
        var state = ExplorerState(catalog: data.catalog, latentDim: 2)
        _ = state.apply(.character("b"))
        for letter in "abcdefghijklmnopqrstuvwxyz" {
            XCTAssertEqual(state.apply(.character(letter)), .none, "\(letter)")
            XCTAssertEqual(state.selectedClass?.name, String(letter))
            XCTAssertNotNil(state.selectedTestIndex)
        }
        XCTAssertEqual(data.catalog.entries.first { $0.name == "z" }?.testIndices.count, 1)
        let shown = data.catalog.entries.first { $0.name == "a" }?.testIndices.count ?? 0
        XCTAssertGreaterThan(shown, 2_600 / 26, "the small classes' unused shares go to the large ones")
    }
}
