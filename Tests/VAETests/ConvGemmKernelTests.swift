import CKernels
import XCTest
@testable import Support

/// The convolution layers' products (conv_gemm.h) against plain loops in Double, on sizes that reach
/// every path of the AVX2 kernels: whole and partial 6-row panels, 16- and 8-column blocks, columns
/// left over for `lx_small_gemm`, several slabs of B (k n past 256 KB), a depth past the packed
/// panel's limit, B packed into blocks (k of 64 or more over 4 panels or more, B past 128 KB: the conv
/// VAE's 64 x 784 x 288 product in several packed slabs, A packed whole or, past 96 KB, panel by
/// panel, a last block of 8 columns); for the dot products whole and partial 4 x 3 blocks and a tail shorter than a
/// vector. On an AVX-512 CPU the same sizes reach conv_gemm_avx512.c's paths: whole and partial 14-row
/// blocks, 32-column strips, a last strip of one or two vectors masked to n's edge, planes of 17 and 23
/// positions (vectors that cross images at every offset), 8 x 3 dot blocks and their edges. On a CPU with
/// neither path the same checks cover the kernels it falls back to.
final class ConvGemmKernelTests: XCTestCase {
    func testConvGemmMatchesPlainLoops() {
        var g = SeededGenerator(seed: 28)
        let shapes: [(m: Int, n: Int, k: Int)] = [
            (1, 1, 1), (5, 7, 3), (6, 8, 9), (7, 9, 9), (13, 24, 5), (6, 100, 33), (32, 49, 288),
            (9, 300, 300), (4, 40, 2100), (25, 40, 64), (64, 784, 288), (25, 1032, 64), (100, 264, 300),
            (14, 32, 16), (15, 33, 17), (29, 47, 31), (288, 784, 64), (9, 3136, 32),
        ]
        for (m, n, k) in shapes { PlainProductCheck.check(lx_conv_gemm, m: m, n: n, k: k, &g) }
    }

    /// The product stored as NCHW planes: planes shorter than a vector (every store crosses images),
    /// 49 and 196 positions (the conv VAE's), a column count that is not a multiple of 8.
    func testConvGemmPlanesWritesEachImagesPlanes() {
        var g = SeededGenerator(seed: 30)
        let shapes: [(m: Int, images: Int, plane: Int, k: Int)] = [(3, 5, 1, 4), (7, 3, 5, 9), (64, 16, 49, 20), (32, 2, 196, 9), (6, 1, 49, 288),
                                                                       (15, 5, 17, 7), (29, 3, 23, 33), (14, 4, 16, 3)]
        for (m, images, plane, k) in shapes {
            let n = images * plane
            let a = PlainProductCheck.randomValues(m * k, &g), b = PlainProductCheck.randomValues(k * n, &g), bias = PlainProductCheck.randomValues(m, &g)
            var y = [Float](repeating: .nan, count: n * m)
            var scratch = [Float](repeating: 0, count: m * n)
            lx_conv_gemm_planes(m, n, k, a, k, 1, b, n, bias, 1, &y, plane, &scratch)
            for image in 0 ..< images {
                for i in 0 ..< m {
                    for p in 0 ..< plane {
                        let q = image * plane + p
                        var sum = Double(bias[i]), magnitude = abs(sum)
                        for l in 0 ..< k {
                            let term = Double(a[i * k + l]) * Double(b[l * n + q])
                            sum += term
                            magnitude += abs(term)
                        }
                        XCTAssertEqual(Double(y[(image * m + i) * plane + p]), max(sum, 0),
                                       accuracy: PlainProductCheck.tolerance(terms: k, magnitude: magnitude),
                                       "m \(m) images \(images) plane \(plane) k \(k) at image \(image) (\(i), \(p))")
                    }
                }
            }
        }
    }

    func testConvDotMatchesPlainLoops() {
        var g = SeededGenerator(seed: 29)
        // (64, 784, 288) is the conv VAE's 32 -> 64 weight gradient, (32, 3136, 9) its first layer's.
        let shapes: [(rows: Int, length: Int, outputs: Int)] = [
            (1, 1, 1), (3, 5, 2), (4, 8, 3), (5, 13, 7), (32, 3136, 9), (64, 784, 288), (9, 100, 4), (6, 21, 11),
            (8, 16, 3), (17, 35, 8), (23, 47, 5),
        ]
        for (rows, length, outputs) in shapes {
            for accumulate in [false, true] {
                let x = PlainProductCheck.randomValues(rows * length, &g), w = PlainProductCheck.randomValues(outputs * length, &g)
                let start = PlainProductCheck.randomValues(rows * outputs, &g)
                var y = start
                lx_conv_dot(x, w, &y, rows, length, outputs, accumulate ? 1 : 0)
                for r in 0 ..< rows {
                    for o in 0 ..< outputs {
                        var sum = accumulate ? Double(start[r * outputs + o]) : 0, magnitude = abs(sum)
                        for i in 0 ..< length {
                            let term = Double(x[r * length + i]) * Double(w[o * length + i])
                            sum += term
                            magnitude += abs(term)
                        }
                        XCTAssertEqual(Double(y[r * outputs + o]), sum,
                                       accuracy: PlainProductCheck.tolerance(terms: length, magnitude: magnitude),
                                       "rows \(rows) length \(length) outputs \(outputs) at (\(r), \(o))")
                    }
                }
            }
        }
    }

    /// The path is named: the AVX2 one exactly when the CPU has AVX2 and FMA and no AVX-512, the AVX-512
    /// one where the kernels run their x86-64-v4 copy.
    func testPathNameFollowsTheCPU() {
        let path = String(cString: lx_conv_gemm_path())
        XCTAssertTrue(["AVX-512, 14x32 blocks", "AVX2 + FMA, 6x16 blocks", "as lx_small_gemm"].contains(path), path)
        let kernelPath = String(cString: lx_kernel_path())
        if kernelPath.hasPrefix("x86-64-v4") { XCTAssertEqual(path, "AVX-512, 14x32 blocks") }
        if kernelPath.hasPrefix("x86-64-v3") { XCTAssertEqual(path, "AVX2 + FMA, 6x16 blocks") }
        if !kernelPath.hasPrefix("x86-64") { XCTAssertEqual(path, "as lx_small_gemm") }
    }
}
