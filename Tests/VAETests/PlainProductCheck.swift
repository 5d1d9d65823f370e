import XCTest
@testable import Support

/// The one check of a product kernel with `lx_small_gemm`'s contract (small_gemm.h: C[m, n] =
/// activation(A B + row_bias), A read through its strides so that it may be a transposed view) against
/// plain loops in Double: used for `lx_small_gemm` (BLASFreeKernelTests) and `lx_conv_gemm`
/// (ConvGemmKernelTests), with and without the transposed A, the bias and ReLU.
enum PlainProductCheck {
    /// The kernel's C signature: m, n, k, a, a_row_stride, a_column_stride, b, ldb, row_bias, activation, c, ldc.
    typealias Kernel = (Int, Int, Int, UnsafePointer<Float>, Int, Int, UnsafePointer<Float>, Int,
                        UnsafePointer<Float>?, Int32, UnsafeMutablePointer<Float>, Int) -> Void

    static func randomValues(_ count: Int, _ g: inout SeededGenerator) -> [Float] {
        (0 ..< count).map { _ in g.nextUniform() * 2 - 1 }
    }

    /// Rounding errors of a float sum of `terms` products grow like their square root times the sum of
    /// their magnitudes (the worst case, linear in `terms`, would let a missing term of a long sum pass).
    static func tolerance(terms: Int, magnitude: Double) -> Double {
        4 * Double(Float.ulpOfOne) * (Double(terms).squareRoot() + 1) * (magnitude + 1)
    }

    /// Runs `kernel` on random A, B and bias of an m x n x k product in the four variants (A row-major
    /// or transposed; no bias and identity, or bias and ReLU) and checks every element of C, and that
    /// nothing is written past column n.
    static func check(_ kernel: Kernel, m: Int, n: Int, k: Int, _ g: inout SeededGenerator,
                      file: StaticString = #filePath, line: UInt = #line) {
        for transposedA in [false, true] {
            for (useBias, relu) in [(false, false), (true, true)] {
                let a = randomValues(m * k, &g), b = randomValues(k * n, &g), bias = randomValues(m, &g)
                // A stored row-major [m, k], or as its transpose [k, m] read through the strides.
                let (rowStride, columnStride) = transposedA ? (1, m) : (k, 1)
                let ldb = n, ldc = n + 3   // C has 3 spare columns the kernel must not write
                var c = [Float](repeating: .nan, count: m * ldc)
                kernel(m, n, k, a, rowStride, columnStride, b, ldb, useBias ? bias : nil, relu ? 1 : 0, &c, ldc)
                for i in 0 ..< m {
                    for j in 0 ..< n {
                        var sum = useBias ? Double(bias[i]) : 0, magnitude = abs(sum)
                        for l in 0 ..< k {
                            let term = Double(a[i * rowStride + l * columnStride]) * Double(b[l * ldb + j])
                            sum += term
                            magnitude += abs(term)
                        }
                        if relu { sum = max(sum, 0) }
                        XCTAssertEqual(Double(c[i * ldc + j]), sum, accuracy: tolerance(terms: k, magnitude: magnitude),
                                       "m \(m) n \(n) k \(k) transposed \(transposedA) at (\(i), \(j))", file: file, line: line)
                    }
                    for j in n ..< ldc { XCTAssertTrue(c[i * ldc + j].isNaN, "wrote past column n", file: file, line: line) }
                }
            }
        }
    }
}
