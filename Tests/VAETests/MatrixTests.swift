import XCTest
@testable import VAE

/// `Matrix`'s own helpers.
final class MatrixTests: XCTestCase {
    /// A block's runs cover exactly its elements, in row order: one run for whole rows, one a row
    /// for a column block, none for an empty block.
    func testForEachRunCoversExactlyTheBlock() {
        let matrix = Matrix(rows: 5, columns: 7)
        for block in [(rows: 1 ..< 4, columns: 0 ..< 7), (rows: 0 ..< 5, columns: 2 ..< 6), (rows: 2 ..< 3, columns: 6 ..< 7),
                      (rows: 3 ..< 3, columns: 0 ..< 7), (rows: 0 ..< 5, columns: 4 ..< 4)] {
            var covered: [Int] = []
            var runs = 0
            matrix.forEachRun(of: block) { offset, count in
                covered += Array(offset ..< offset + count)
                runs += 1
            }
            let expected = block.rows.flatMap { row in block.columns.map { row * 7 + $0 } }
            XCTAssertEqual(covered, expected, "\(block)")
            let wholeRows = block.columns.count == 7
            XCTAssertEqual(runs, expected.isEmpty ? 0 : wholeRows ? 1 : block.rows.count, "\(block)")
        }
    }
}
