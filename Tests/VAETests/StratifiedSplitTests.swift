import XCTest
@testable import LetterData

final class StratifiedSplitTests: XCTestCase {
    /// NIST's letters test file is sorted by class; a split of such a file must hold out every class.
    func testEveryClassOfAClassSortedSetIsHeldOutInProportion() {
        let labels = LabelledDataset.letterLabels.flatMap { [Int](repeating: $0, count: 40) }
        let pixels = labels.indices.flatMap { [UInt8](repeating: UInt8($0 % 251), count: ImageSet.pixelCount) }
        let set = ImageSet(pixels: pixels, labels: labels)
        let (kept, heldOut) = set.stratifiedSplit(heldOutFraction: 0.1, seed: 7)
        XCTAssertEqual(heldOut.count, 26 * 4)
        XCTAssertEqual(kept.count, 26 * 36)
        for label in LabelledDataset.letterLabels {
            XCTAssertEqual(heldOut.labels.filter { $0 == label }.count, 4, "class \(label)")
        }
        // Every image lands in exactly one part, with its own label.
        let firstBytes = (kept.labels.indices.map { kept.image($0).first! } + heldOut.labels.indices.map { heldOut.image($0).first! })
        XCTAssertEqual(firstBytes.sorted(), labels.indices.map { UInt8($0 % 251) }.sorted())
    }

    func testTheSplitDependsOnTheSeedOnlyAndZeroHoldsOutNothing() {
        let labels = (0 ..< 200).map { $0 % 3 }
        let set = ImageSet(pixels: labels.indices.flatMap { [UInt8](repeating: UInt8($0), count: ImageSet.pixelCount) }, labels: labels)
        let a = set.stratifiedSplit(heldOutFraction: 0.25, seed: 1).heldOut
        XCTAssertEqual(a.pixels, set.stratifiedSplit(heldOutFraction: 0.25, seed: 1).heldOut.pixels)
        XCTAssertNotEqual(a.pixels, set.stratifiedSplit(heldOutFraction: 0.25, seed: 2).heldOut.pixels)
        let none = set.stratifiedSplit(heldOutFraction: 0, seed: 1)
        XCTAssertEqual(none.heldOut.count, 0)
        XCTAssertEqual(none.kept.pixels, set.pixels)
    }
}
