import CKernels
import XCTest
@testable import Support
@testable import VAE

/// The sparse kernels of `sparse_product.c` (`lx_sparse_compress_pairs` by rows and by columns, the
/// panel packers, `lx_sparse_pairs_times_dense` and `lx_sparse_transpose_rows`) against plain loops,
/// over a seeded fuzz of shapes and densities: all-zero and all-dense rows, -0 entries, odd line
/// counts, sizes that are not multiples of a vector or a panel, and depths across several of the
/// product's tiles.
final class SparseProductTests: XCTestCase {
    private static let panel = Int(LX_SPARSE_PANEL)

    /// A [rows, columns] matrix about `density` nonzero, with row 0 all zero, row 1 all nonzero (when
    /// there are rows enough) and some -0 among the zeros.
    private func sparseMatrix(rows: Int, columns: Int, density: Float, _ g: inout SeededGenerator) -> [Float] {
        var x = [Float](repeating: 0, count: rows * columns)
        for r in 0 ..< rows {
            for j in 0 ..< columns {
                let keep = r == 1 || (r != 0 && g.nextUniform() < density)
                x[r * columns + j] = keep ? g.nextUniform() * 2 - 1 : (g.nextUniform() < 0.1 ? -0.0 : 0)
            }
        }
        return x
    }

    /// x's pairs of lines compressed by `lx_sparse_compress_pairs` (x's rows, or its columns with
    /// `byColumn`) in two calls of part of the pairs each, expanded back to the dense lines [lines, length],
    /// after checking that each pair's places increase and that a place is kept exactly when either of
    /// its two values is not zero.
    private func roundTripPairs(_ x: [Float], rows: Int, columns: Int, byColumn: Bool,
                                file: StaticString = #filePath, line: UInt = #line) -> [Float] {
        let (lines, length) = byColumn ? (columns, rows) : (rows, columns)
        let pairs = (lines + 1) / 2
        var counts = [Int32](repeating: -1, count: pairs)
        var indices = [Int32](repeating: -1, count: max(1, pairs * length))
        var values = [Float](repeating: .nan, count: max(2, 2 * pairs * length))
        let (lineStride, step) = byColumn ? (1, columns) : (columns, 1)
        lx_sparse_compress_pairs(x, lines, length, lineStride, step, 0, pairs / 2, &counts, &indices, &values)
        lx_sparse_compress_pairs(x, lines, length, lineStride, step, pairs / 2, pairs, &counts, &indices, &values)
        var dense = [Float](repeating: 0, count: lines * length)
        for p in 0 ..< pairs {
            let entries = p * length ..< p * length + Int(counts[p])
            let places = entries.map { Int(indices[$0]) }
            XCTAssertEqual(places, places.sorted(), "pair \(p)'s places increase", file: file, line: line)
            let expected = (0 ..< length).filter { t in
                (2 * p ..< min(lines, 2 * p + 2)).contains { l in x[byColumn ? t * columns + l : l * columns + t] != 0 }
            }
            XCTAssertEqual(places, expected, "pair \(p) keeps the places where a line is not zero", file: file, line: line)
            for e in entries {
                dense[2 * p * length + Int(indices[e])] = values[2 * e]
                if 2 * p + 1 < lines { dense[(2 * p + 1) * length + Int(indices[e])] = values[2 * e + 1] }
                else { XCTAssertEqual(values[2 * e + 1], 0, "a line without a partner is paired with zeros", file: file, line: line) }
            }
        }
        return dense
    }

    func testCompressingPairsOfRowsKeepsEveryNonzeroEntry() {
        var g = SeededGenerator(seed: 61)
        for (rows, columns, density) in [(1, 1, Float(1)), (5, 9, 0.3), (3, 70, 0), (8, 17, 0.9), (7, 30, 0.2)] {
            let x = sparseMatrix(rows: rows, columns: columns, density: density, &g)
            XCTAssertEqual(roundTripPairs(x, rows: rows, columns: columns, byColumn: false), x.map { $0 == 0 ? 0 : $0 })
        }
    }

    func testCompressingPairsOfColumnsGivesTheTranspose() {
        var g = SeededGenerator(seed: 62)
        for (rows, columns) in [(4, 9), (7, 20), (1, 5), (6, 1), (9, 33)] {
            let x = sparseMatrix(rows: rows, columns: columns, density: 0.4, &g)
            var expected = [Float](repeating: 0, count: columns * rows)
            for j in 0 ..< columns { for r in 0 ..< rows { expected[j * rows + r] = x[r * columns + j] == 0 ? 0 : x[r * columns + j] } }
            XCTAssertEqual(roundTripPairs(x, rows: rows, columns: columns, byColumn: true), expected, "[\(rows), \(columns)]")
        }
    }

    /// Both packers against the layout the header states, and the product (with and without a bias, under
    /// each activation, on all the pairs at once or from a pair onwards, as a thread takes them) against a
    /// plain triple loop in Double.
    func testFuzzSparsePairsTimesDenseAgainstThePlainProduct() {
        var g = SeededGenerator(seed: 63)
        for trial in 0 ..< 60 {
            let m = 1 + Int(g.nextUniform() * 40), n = 1 + Int(g.nextUniform() * 150), depth = 1 + Int(g.nextUniform() * 300)
            let density = [Float(0), 0.02, 0.3, 0.6, 1][trial % 5]
            let a = sparseMatrix(rows: m, columns: depth, density: density, &g)
            let b = (0 ..< depth * n).map { _ in g.nextUniform() * 2 - 1 }
            let panels = packedTransposedPanels(of: b, depth: depth, n: n)
            XCTAssertEqual(panels, packedPanels(of: b, depth: depth, n: n), "the two packers agree on Bᵀ's transpose")
            let pairs = (m + 1) / 2
            var counts = [Int32](repeating: 0, count: pairs)
            var indices = [Int32](repeating: 0, count: pairs * depth), values = [Float](repeating: 0, count: 2 * pairs * depth)
            lx_sparse_compress_pairs(a, m, depth, depth, 1, 0, pairs, &counts, &indices, &values)
            let ldc = n + trial % 3
            var c = [Float](repeating: .nan, count: m * ldc), cursor = [Int32](repeating: 0, count: pairs)
            let bias = trial % 2 == 0 ? nil : (0 ..< n).map { _ in g.nextUniform() - 0.5 }
            let activation = Activation.allCases[trial % Activation.allCases.count]
            // From pair `split` on, as the second of two threads: the pointers moved to that pair.
            let split = trial % 3 == 0 ? 0 : pairs / 2
            lx_sparse_pairs_times_dense(2 * split, n, depth, counts, indices, values, panels, bias, activation.code, &c, ldc,
                                        &cursor)
            let (tailCounts, tailIndices) = (Array(counts[split...]), Array(indices[(split * depth)...]))
            let tailValues = Array(values[(2 * split * depth)...])
            c.withUnsafeMutableBufferPointer { c in
                lx_sparse_pairs_times_dense(m - 2 * split, n, depth, tailCounts, tailIndices, tailValues, panels, bias,
                                            activation.code, c.baseAddress! + 2 * split * ldc, ldc, &cursor)
            }
            for i in 0 ..< m {
                for j in 0 ..< n {
                    var sum = Double(bias?[j] ?? 0)
                    for k in 0 ..< depth { sum += Double(a[i * depth + k]) * Double(b[k * n + j]) }
                    let expected = activation(Float(sum))
                    XCTAssertEqual(c[i * ldc + j], expected, accuracy: 1e-5 * Float(depth).squareRoot(),
                                   "trial \(trial): [\(m), \(depth)] x [\(depth), \(n)] at density \(density), (\(i), \(j))")
                }
            }
        }
    }

    func testTransposingRowsInTwoPartsGivesTheTranspose() {
        var g = SeededGenerator(seed: 64)
        for (rows, columns) in [(1, 1), (9, 13), (40, 33), (70, 17)] {
            let a = (0 ..< rows * columns).map { _ in g.nextUniform() }
            var t = [Float](repeating: .nan, count: rows * columns)
            lx_sparse_transpose_rows(a, rows, columns, 0, rows / 3, &t)
            lx_sparse_transpose_rows(a, rows, columns, rows / 3, rows, &t)
            for i in 0 ..< rows { for j in 0 ..< columns { XCTAssertEqual(t[j * rows + i], a[i * columns + j]) } }
        }
    }

    /// The panels of B [depth, n] through `lx_sparse_pack_panels`, checked element by element.
    private func packedPanels(of b: [Float], depth: Int, n: Int) -> [Float] {
        var panels = [Float](repeating: .nan, count: depth * n)
        lx_sparse_pack_panels(b, depth, n, n, &panels)
        for k in 0 ..< depth {
            for j in 0 ..< n {
                let (p, column) = (j / Self.panel, j % Self.panel)
                let width = min(Self.panel, n - p * Self.panel)
                XCTAssertEqual(panels[p * Self.panel * depth + k * width + column], b[k * n + j])
            }
        }
        return panels
    }

    /// The same panels from w = Bᵀ [n, depth], in two calls of part of the panels each.
    private func packedTransposedPanels(of b: [Float], depth: Int, n: Int) -> [Float] {
        var w = [Float](repeating: 0, count: n * depth)
        for k in 0 ..< depth { for j in 0 ..< n { w[j * depth + k] = b[k * n + j] } }
        var panels = [Float](repeating: .nan, count: depth * n)
        let count = (n + Self.panel - 1) / Self.panel, half = count / 2
        lx_sparse_pack_transposed_panels(w, n, depth, 0, half, &panels)
        lx_sparse_pack_transposed_panels(w, n, depth, half, count, &panels)
        return panels
    }

    func testCountingNonzeroLeavesOutBothZeros() {
        let x: [Float] = [0, -0.0, 1, .nan, -2, 0, .leastNonzeroMagnitude]
        XCTAssertEqual(lx_sparse_count_nonzero(x, x.count), 4)
        XCTAssertEqual(lx_sparse_count_nonzero(x, 0), 0)
    }
}
