import CKernels
import XCTest
@testable import Support
@testable import VAE

/// The direct one-plane kernel (conv_direct.h: `Conv2d(1, F, 3, stride=2, padding=1)`) against plain
/// loops in Double on every side it takes (2 to 32, odd and even, the conv VAE's 28 among them),
/// channel counts that leave blocks of 4 whole and partial, with and without bias, under each
/// activation, checking that nothing is written outside y; and, where the AVX2 path runs, bit for bit
/// against the unfolding and product it replaces in the conv VAE (lx_im2col, lx_conv_gemm_planes).
final class ConvDirectKernelTests: XCTestCase {
    private static let guardFloats = 16

    func testOnePlaneKernelMatchesPlainLoops() {
        var g = SeededGenerator(seed: 61)
        var cases = 0
        for side in [2, 3, 5, 7, 8, 13, 14, 16, 17, 27, 28, 31, 32] {
            for (batch, channels) in [(1, 1), (3, 5), (2, 8), (17, 32)] where side * side * batch * channels <= 40_000 {
                for activation in [Activation.identity, .relu, .leakyReLU] {
                    check(side: side, batch: batch, channels: channels, withBias: activation != .identity,
                          activation: activation, &g)
                    cases += 1
                }
            }
        }
        XCTAssertGreaterThan(cases, 100)
        XCTAssertEqual(lx_conv3x3s2_one_plane_fits(1), 0)
        XCTAssertEqual(lx_conv3x3s2_one_plane_fits(33), 0)
    }

    private func check(side: Int, batch: Int, channels: Int, withBias: Bool, activation: Activation,
                       _ g: inout SeededGenerator) {
        let out = (side - 1) / 2 + 1, plane = out * out
        let x = PlainProductCheck.randomValues(batch * side * side, &g)
        let w = PlainProductCheck.randomValues(channels * 9, &g), bias = PlainProductCheck.randomValues(channels, &g)
        let count = batch * channels * plane, pad = Self.guardFloats
        var y = [Float](repeating: .nan, count: count + 2 * pad)
        y.withUnsafeMutableBufferPointer { buffer in
            lx_conv3x3s2_one_plane(x, batch, side, w, channels, withBias ? bias : nil, activation.code, buffer.baseAddress! + pad)
        }
        let what = "side \(side) batch \(batch) channels \(channels) bias \(withBias) \(activation)"
        XCTAssertTrue(y[..<pad].allSatisfy(\.isNaN) && y[(pad + count)...].allSatisfy(\.isNaN), "wrote outside y, \(what)")
        var worst = 0.0
        for b in 0 ..< batch {
            for f in 0 ..< channels {
                for oy in 0 ..< out {
                    for ox in 0 ..< out {
                        var sum = withBias ? Double(bias[f]) : 0, magnitude = abs(sum)
                        for kh in 0 ..< 3 {
                            for kw in 0 ..< 3 {
                                let (iy, ix) = (2 * oy - 1 + kh, 2 * ox - 1 + kw)
                                guard iy >= 0, iy < side, ix >= 0, ix < side else { continue }
                                let term = Double(w[f * 9 + kh * 3 + kw]) * Double(x[(b * side + iy) * side + ix])
                                sum += term
                                magnitude += abs(term)
                            }
                        }
                        let expected = sum > 0 ? sum : (activation == .relu ? 0 : activation == .leakyReLU
                                                         ? sum * Double(LX_LEAKY_RELU_SLOPE) : sum)
                        let got = Double(y[pad + ((b * channels + f) * out + oy) * out + ox])
                        let error = abs(got - expected)
                        XCTAssertLessThanOrEqual(error, PlainProductCheck.tolerance(terms: 9, magnitude: magnitude),
                                                 "\(what) at (\(b), \(f), \(oy), \(ox))")
                        worst = max(worst, error.isNaN ? .infinity : error)
                    }
                }
            }
        }
        XCTAssertLessThan(worst, 1e-4, what)
    }

    /// On the AVX2 and AVX-512 paths the direct kernel must give the conv VAE's first layer exactly what
    /// unfolding and multiplying gave (same sums, same order, same fused multiply-adds): 16 images of
    /// 28 x 28 into 32 planes, with bias and ReLU, and without.
    func testOnePlaneKernelIsBitForBitTheUnfoldedProductOnTheAVXPaths() throws {
        guard String(cString: lx_conv_gemm_path()).hasPrefix("AVX") else {
            throw XCTSkip("the conv products take neither the AVX2 nor the AVX-512 path on this CPU")
        }
        var g = SeededGenerator(seed: 62)
        let (batch, side, out, channels) = (16, 28, 14, 32)
        let (plane, n) = (out * out, 16 * out * out)
        let x = PlainProductCheck.randomValues(batch * side * side, &g)
        let w = PlainProductCheck.randomValues(channels * 9, &g), bias = PlainProductCheck.randomValues(channels, &g)
        let geometry = lx_conv_geometry(channels: 1, in_side: side, out_side: out, kernel: 3, stride: 2, padding: 1)
        var columns = [Float](repeating: 0, count: 9 * n), scratch = [Float](repeating: 0, count: channels * n)
        for withBias in [false, true] {
            var unfolded = [Float](repeating: .nan, count: channels * n), direct = unfolded
            lx_im2col(geometry, x, batch, &columns, n, 1)
            lx_conv_gemm_planes(channels, n, 9, w, 9, 1, columns, n, withBias ? bias : nil, withBias ? 1 : 0,
                                &unfolded, plane, &scratch)
            lx_conv3x3s2_one_plane(x, batch, side, w, channels, withBias ? bias : nil, withBias ? 1 : 0, &direct)
            XCTAssertEqual(unfolded.map(\.bitPattern), direct.map(\.bitPattern), "bias and ReLU \(withBias)")
        }
    }
}
