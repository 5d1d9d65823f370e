import CKernels
import XCTest
@testable import Support
@testable import VAE

/// The dense layers' own products (dense_gemm.h) against plain loops in Double: A and B each row-major
/// or transposed (the forward pass's x Wᵀ, the weight gradient's dpreᵀ x, the input gradient's dpre W),
/// with and without the column bias and each activation, overwriting C (whose NaNs must not leak in) or
/// adding to it; sizes that reach every edge: partial 6-row panels and 16-column blocks, one row or
/// column, several row blocks (past 144 rows), several slices of the sum (past 256, uneven), the MLP's
/// own shapes. Where the CPU does not take the AVX2 path the kernel must decline and leave C alone.
final class DenseGemmKernelTests: XCTestCase {
    private struct Case { var m, n, k: Int }

    private static let shapes: [Case] = [
        Case(m: 1, n: 1, k: 1), Case(m: 5, n: 7, k: 3), Case(m: 6, n: 16, k: 9), Case(m: 7, n: 17, k: 13),
        Case(m: 13, n: 33, k: 257), Case(m: 145, n: 20, k: 40), Case(m: 2, n: 300, k: 600), Case(m: 64, n: 2, k: 512),
        Case(m: 150, n: 40, k: 785), Case(m: 0, n: 5, k: 3), Case(m: 4, n: 6, k: 0),
    ]

    func testProductsMatchPlainLoops() throws {
        try XCTSkipUnless(lx_dense_gemm_available() != 0, "this CPU does not take the AVX2 path")
        var g = SeededGenerator(seed: 2807)
        for shape in Self.shapes {
            for (transposedA, transposedB) in [(false, false), (false, true), (true, false), (true, true)] {
                for (useBias, activation, accumulate) in [(false, Int32(0), false), (true, Int32(1), false),
                                                          (true, Int32(2), false), (false, Int32(0), true)] {
                    check(shape, transposedA: transposedA, transposedB: transposedB, useBias: useBias,
                          activation: activation, accumulate: accumulate, &g)
                }
            }
        }
    }

    /// The MLP's products as each of two threads runs them on a 128-image batch (the forward pass's
    /// half of 512 units over 784 inputs, the weight gradient's half of 784 units over 128 images, the
    /// input gradient's half of 784 inputs over 512 units), and a batch remainder of 37 rows.
    func testTheMLPsShapes() throws {
        try XCTSkipUnless(lx_dense_gemm_available() != 0, "this CPU does not take the AVX2 path")
        var g = SeededGenerator(seed: 2808)
        check(Case(m: 128, n: 256, k: 784), transposedA: false, transposedB: true, useBias: true, activation: 1, accumulate: false, &g)
        check(Case(m: 392, n: 512, k: 128), transposedA: true, transposedB: false, useBias: false, activation: 0, accumulate: false, &g)
        check(Case(m: 37, n: 392, k: 512), transposedA: false, transposedB: false, useBias: false, activation: 0, accumulate: false, &g)
    }

    /// Large inputs stay finite: nothing overflows in the blocked sums that a plain sum would not.
    func testExtremesStayFinite() throws {
        try XCTSkipUnless(lx_dense_gemm_available() != 0, "this CPU does not take the AVX2 path")
        let (m, n, k) = (7, 19, 300)
        let a = [Float](repeating: 1e15, count: m * k), b = [Float](repeating: -1e15, count: k * n)
        var c = [Float](repeating: .nan, count: m * n)
        XCTAssertEqual(lx_dense_gemm(m, n, k, a, k, 1, b, n, 1, nil, 0, 0, &c, n), 1)
        for value in c { XCTAssertEqual(Double(value), -3e32, accuracy: 3e32 * 1e-5) }
        let tiny = [Float](repeating: 1e-30, count: m * k)
        XCTAssertEqual(lx_dense_gemm(m, n, k, tiny, k, 1, b, n, 1, nil, 1, 0, &c, n), 1)
        XCTAssertTrue(c.allSatisfy { $0 == 0 }, "ReLU of negative sums")
    }

    func testDeclinesWhereThePathIsNotTaken() {
        let path = String(cString: lx_dense_gemm_path())
        var c: [Float] = [.nan]
        let done = lx_dense_gemm(1, 1, 1, [2], 1, 1, [3], 1, 1, nil, 0, 0, &c, 1)
        if lx_dense_gemm_available() != 0 {
            XCTAssertEqual(path, "AVX2 + FMA, 6x16 blocks, fused bias")
            XCTAssertEqual(done, 1); XCTAssertEqual(c[0], 6)
        } else {
            XCTAssertEqual(path, "OpenBLAS sgemm")
            XCTAssertEqual(done, 0); XCTAssertTrue(c[0].isNaN)
        }
        if String(cString: lx_kernel_path()).hasPrefix("x86-64-v3") { XCTAssertNotEqual(lx_dense_gemm_available(), 0) }
    }

    /// One product against Double loops: C has 3 spare columns the kernel must leave as they were.
    private func check(_ s: Case, transposedA: Bool, transposedB: Bool, useBias: Bool, activation: Int32,
                       accumulate: Bool, _ g: inout SeededGenerator, line: UInt = #line) {
        let a = PlainProductCheck.randomValues(s.m * s.k, &g), b = PlainProductCheck.randomValues(s.k * s.n, &g)
        let bias = PlainProductCheck.randomValues(s.n, &g)
        let (aRow, aColumn) = transposedA ? (1, s.m) : (s.k, 1)
        let (bRow, bColumn) = transposedB ? (1, s.k) : (s.n, 1)
        let ldc = s.n + 3
        let start = accumulate ? PlainProductCheck.randomValues(s.m * ldc, &g) : [Float](repeating: .nan, count: s.m * ldc)
        var c = start
        let done = lx_dense_gemm(s.m, s.n, s.k, a, aRow, aColumn, b, bRow, bColumn, useBias ? bias : nil, activation,
                                 accumulate ? 1 : 0, &c, ldc)
        XCTAssertEqual(done, 1, line: line)
        let label = "m \(s.m) n \(s.n) k \(s.k) Aᵀ \(transposedA) Bᵀ \(transposedB) bias \(useBias) activation \(activation) accumulate \(accumulate)"
        for i in 0 ..< s.m {
            for j in 0 ..< s.n {
                var sum = (useBias ? Double(bias[j]) : 0) + (accumulate ? Double(start[i * ldc + j]) : 0)
                var magnitude = abs(sum)
                for l in 0 ..< s.k {
                    let term = Double(a[i * aRow + l * aColumn]) * Double(b[l * bRow + j * bColumn])
                    sum += term
                    magnitude += abs(term)
                }
                if activation == 1 { sum = max(sum, 0) }
                if activation == 2 { sum = sum > 0 ? sum : sum * Double(LX_LEAKY_RELU_SLOPE) }
                XCTAssertEqual(Double(c[i * ldc + j]), sum, accuracy: PlainProductCheck.tolerance(terms: s.k + 2, magnitude: magnitude),
                               "\(label) at (\(i), \(j))", line: line)
            }
            for j in s.n ..< ldc {
                XCTAssertEqual(c[i * ldc + j].bitPattern, start[i * ldc + j].bitPattern, "\(label): wrote past column n", line: line)
            }
        }
    }
}
