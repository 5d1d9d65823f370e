import CKernels
import XCTest
@testable import Support
@testable import VAE

/// The sparse kernels of `sparse_product.c` (`lx_sparse_compress_rows`, `lx_sparse_compress_columns`,
/// the panel packers and `lx_sparse_times_dense`) against plain loops, over a seeded fuzz of shapes
/// and densities: all-zero and all-dense rows, -0 entries, sizes that are not multiples of a vector or a
/// panel, and depths across several of the product's tiles.
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

    /// The sparse matrix of offsets, indices and values as dense [rows, columns].
    private func expand(_ offsets: [Int32], _ indices: [Int32], _ values: [Float], rows: Int, columns: Int) -> [Float] {
        var dense = [Float](repeating: 0, count: rows * columns)
        for r in 0 ..< rows {
            for e in Int(offsets[r]) ..< Int(offsets[r + 1]) { dense[r * columns + Int(indices[e])] = values[e] }
        }
        return dense
    }

    func testCompressingRowsKeepsExactlyTheNonzeroEntriesInOrder() {
        var g = SeededGenerator(seed: 61)
        for (rows, columns, density) in [(1, 1, Float(1)), (5, 9, 0.3), (3, 70, 0), (8, 17, 0.9)] {
            let x = sparseMatrix(rows: rows, columns: columns, density: density, &g)
            var offsets = [Int32](repeating: -1, count: rows + 1)
            var indices = [Int32](repeating: -1, count: rows * columns), values = [Float](repeating: .nan, count: rows * columns)
            let count = lx_sparse_compress_rows(x, rows, columns, columns, &offsets, &indices, &values)
            XCTAssertEqual(count, x.filter { $0 != 0 }.count)
            XCTAssertEqual(Int(offsets[rows]), count)
            for r in 0 ..< rows {
                let row = indices[Int(offsets[r]) ..< Int(offsets[r + 1])]
                XCTAssertEqual(Array(row), row.sorted(), "row \(r)'s indices increase")
            }
            XCTAssertEqual(expand(offsets, indices, values, rows: rows, columns: columns), x.map { $0 == 0 ? 0 : $0 })
        }
    }

    func testCompressingColumnsGivesTheTransposeOfTheRange() {
        var g = SeededGenerator(seed: 62)
        for (rows, columns, first, last) in [(4, 9, 0, 9), (7, 20, 3, 11), (1, 5, 4, 5), (6, 6, 2, 2)] {
            let x = sparseMatrix(rows: rows, columns: columns, density: 0.4, &g)
            let n = last - first
            var offsets = [Int32](repeating: -1, count: n + 2)
            var indices = [Int32](repeating: -1, count: max(1, rows * n)), values = [Float](repeating: .nan, count: max(1, rows * n))
            var rowIndices = indices, rowValues = values, rowOffsets = [Int32](repeating: 0, count: rows + 1)
            let count = lx_sparse_compress_columns(x, rows, columns, first, last, &offsets, &indices, &values, &rowIndices,
                                                   &rowValues, &rowOffsets)
            var expected = [Float](repeating: 0, count: n * rows)
            for j in 0 ..< n { for r in 0 ..< rows { expected[j * rows + r] = x[r * columns + first + j] } }
            XCTAssertEqual(count, expected.filter { $0 != 0 }.count)
            XCTAssertEqual(expand(offsets, indices, values, rows: n, columns: rows), expected.map { $0 == 0 ? 0 : $0 },
                           "columns \(first)..<\(last) of [\(rows), \(columns)]")
        }
    }

    /// Both packers against the layout the header states, and the product (with and without a bias, under
    /// each activation) against a plain triple loop.
    func testFuzzSparseTimesDenseAgainstThePlainProduct() {
        var g = SeededGenerator(seed: 63)
        for trial in 0 ..< 60 {
            let m = 1 + Int(g.nextUniform() * 40), n = 1 + Int(g.nextUniform() * 150), depth = 1 + Int(g.nextUniform() * 200)
            let density = [Float(0), 0.02, 0.3, 0.6, 1][trial % 5]
            let a = sparseMatrix(rows: m, columns: depth, density: density, &g)
            let b = (0 ..< depth * n).map { _ in g.nextUniform() * 2 - 1 }
            let panels = packedTransposedPanels(of: b, depth: depth, n: n)
            XCTAssertEqual(panels, packedPanels(of: b, depth: depth, n: n), "the two packers agree on Bᵀ's transpose")
            var offsets = [Int32](repeating: 0, count: m + 1)
            var indices = [Int32](repeating: 0, count: m * depth), values = [Float](repeating: 0, count: m * depth)
            lx_sparse_compress_rows(a, m, depth, depth, &offsets, &indices, &values)
            let ldc = n + trial % 3
            var c = [Float](repeating: .nan, count: m * ldc), cursor = [Int32](repeating: 0, count: m)
            let bias = trial % 2 == 0 ? nil : (0 ..< n).map { _ in g.nextUniform() - 0.5 }
            let activation = Activation.allCases[trial % Activation.allCases.count]
            lx_sparse_times_dense(m, n, depth, offsets, indices, values, panels, bias, activation.code, &c, ldc, &cursor)
            for i in 0 ..< m {
                for j in 0 ..< n {
                    var sum: Float = bias?[j] ?? 0
                    for k in 0 ..< depth { sum += a[i * depth + k] * b[k * n + j] }
                    let expected = activation(sum)
                    XCTAssertEqual(c[i * ldc + j], expected, accuracy: 1e-4 * Float(depth).squareRoot(),
                                   "trial \(trial): [\(m), \(depth)] x [\(depth), \(n)] at density \(density), (\(i), \(j))")
                }
            }
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
