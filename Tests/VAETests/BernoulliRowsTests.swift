import CKernels
import XCTest
@testable import Support
@testable import VAE

/// `lx_dense_bernoulli_rows`, the importance-weighted bound's fused output layer (the logits of
/// a [rows, depth] block times b [depth, width] plus the bias, and each row's Bernoulli
/// log-likelihood of one image), against a Double loop over the same numbers.
final class BernoulliRowsTests: XCTestCase {
    /// sum_j x_j l_j - softplus(l_j), l = a[r] b + bias, all in Double.
    private func reference(a: [Float], rows: Int, lda: Int, depth: Int, b: [Float], bias: [Float], x: [Float]) -> [Double] {
        let width = bias.count
        return (0 ..< rows).map { r in
            var total: Double = 0
            for j in 0 ..< width {
                var l = Double(bias[j])
                for k in 0 ..< depth { l += Double(a[r * lda + k]) * Double(b[k * width + j]) }
                let softplus = max(l, 0) + Foundation.log(1 + Foundation.exp(-abs(l)))
                total += Double(x[j]) * l - softplus
            }
            return total
        }
    }

    /// The fused kernel's sums for a random case, with `out_stride` 3 (the other slots untouched).
    private func check(rows: Int, depth: Int, width: Int, scale: Float, seed: UInt64,
                       file: StaticString = #filePath, line: UInt = #line) {
        var g = SeededGenerator(seed: seed)
        let lda = depth + 2   // a row stride wider than the row
        let a = (0 ..< max(1, rows * lda)).map { _ in g.nextUniform() * 2 - 1 }
        let b = (0 ..< depth * width).map { _ in (g.nextUniform() * 2 - 1) * scale }
        let bias = (0 ..< width).map { _ in (g.nextUniform() * 2 - 1) * scale }
        // Pixels as the data's: mostly 0 or 1, some between.
        let x = (0 ..< width).map { _ -> Float in let u = g.nextUniform(); return u < 0.4 ? 0 : u < 0.8 ? 1 : u }
        // b's first depth / 2 rows packed on top, the others read by index out of a larger matrix
        // (as the active units' rows of a transposed weight), in a shuffled order.
        let top = depth / 2, count = depth - top, spare = 3
        var index = (0 ..< count + spare).map { Int32($0) }
        for i in stride(from: index.count - 1, to: 0, by: -1) { index.swapAt(i, Int(g.next() % UInt64(i + 1))) }
        index = Array(index.prefix(count))
        var source = [Float](repeating: .nan, count: (count + spare) * width)
        for (k, row) in index.enumerated() {
            for j in 0 ..< width { source[Int(row) * width + j] = b[(top + k) * width + j] }
        }
        var out = [Double](repeating: .nan, count: max(1, rows * 3))
        lx_dense_bernoulli_rows(a, rows, lda, b, top, source, index, count, bias, x, width, &out, 3)
        let expected = reference(a: a, rows: rows, lda: lda, depth: depth, b: b, bias: bias, x: x)
        for r in 0 ..< rows {
            // Float logits and float partial sums: a relative error of a few float ulps of the terms' size.
            let tolerance = 1e-5 * Double(width) * Double(max(1, scale)) * Double(max(1, depth)).squareRoot() + 1e-4
            XCTAssertEqual(out[r * 3], expected[r], accuracy: tolerance, "row \(r) of \(rows), depth \(depth), width \(width)",
                           file: file, line: line)
            if r * 3 + 1 < out.count { XCTAssertTrue(out[r * 3 + 1].isNaN, "the stride's gaps are left alone", file: file, line: line) }
        }
    }

    func testRowsNotAMultipleOfTheBlockAndWidthsWithATail() {
        for rows in [1, 5, 6, 7, 13, 100] {
            for width in [16, 21, 784] {
                check(rows: rows, depth: 9, width: width, scale: 1, seed: UInt64(rows * 1000 + width))
            }
        }
    }

    func testNoActiveUnitsIsTheBiasAlone() {
        check(rows: 7, depth: 0, width: 40, scale: 3, seed: 5)
    }

    func testAllUnitsActiveAndMoreRowsThanOneChunk() {
        check(rows: 300, depth: 64, width: 48, scale: 0.5, seed: 6)
    }

    func testMoreColumnsThanOneSumBlock() {
        check(rows: 4, depth: 3, width: 1_030, scale: 1, seed: 7)
    }

    /// Logits of ±60 and beyond: softplus is the logit itself or 0, with no overflow of exp.
    func testExtremeLogits() {
        check(rows: 8, depth: 4, width: 32, scale: 40, seed: 8)
    }

    /// The same number as the cross-entropy of the logits made by a plain product: only the products'
    /// summation order differs.
    func testMatchesTheCrossEntropyOfTheLogits() {
        var g = SeededGenerator(seed: 9)
        let (rows, depth, width) = (11, 37, 784)
        let a = (0 ..< rows * depth).map { _ in g.nextUniform() * 2 - 1 }
        let b = (0 ..< depth * width).map { _ in g.nextUniform() * 2 - 1 }
        let bias = (0 ..< width).map { _ in g.nextUniform() - 0.5 }
        let x = (0 ..< width).map { _ in g.nextUniform() < 0.5 ? Float(0) : 1 }
        var out = [Double](repeating: 0, count: rows)
        lx_dense_bernoulli_rows(a, rows, depth, b, depth, b, nil, 0, bias, x, width, &out, 1)
        for r in 0 ..< rows {
            var logits = bias
            for j in 0 ..< width { for k in 0 ..< depth { logits[j] += a[r * depth + k] * b[k * width + j] } }
            let plain = -lx_bce_with_logits(logits, x, nil, width, 1)
            XCTAssertEqual(out[r], plain, accuracy: 2e-3, "row \(r)")
        }
    }

    /// `lx_gemm_indexed_rows` (the folded map M_g, rows of the weight read where they lie) against a
    /// Double product: 1, 3 and 17 rows (a short panel, three panels), widths with and without a tail,
    /// no rows chosen.
    func testIndexedRowsProduct() {
        var g = SeededGenerator(seed: 10)
        for (rows, count, width) in [(1, 5, 16), (3, 207, 784), (17, 40, 21), (6, 0, 32)] {
            let sourceRows = count + 7
            let b = (0 ..< sourceRows * width).map { _ in g.nextUniform() * 2 - 1 }
            let index = (0 ..< count).map { _ in Int32(g.next() % UInt64(sourceRows)) }
            let lda = count + 1
            let a = (0 ..< rows * lda).map { _ in g.nextUniform() * 2 - 1 }
            var c = [Float](repeating: .nan, count: rows * width)
            lx_gemm_indexed_rows(a, rows, lda, b, index, count, width, &c)
            for r in 0 ..< rows {
                for j in 0 ..< width {
                    var expected: Double = 0
                    for l in 0 ..< count { expected += Double(a[r * lda + l]) * Double(b[Int(index[l]) * width + j]) }
                    XCTAssertEqual(Double(c[r * width + j]), expected, accuracy: 1e-5 * Double(max(1, count)),
                                   "rows \(rows), count \(count), width \(width): [\(r), \(j)]")
                }
            }
        }
    }
}
