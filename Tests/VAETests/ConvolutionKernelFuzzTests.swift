import CKernels
import XCTest
@testable import Support
@testable import VAE

/// Seeded fuzz cases for the unfolding kernels: random geometries (strides 1 to 3, so both the vector
/// paths and the general loops run; kernels 1 to 5; sides 1 to 33; the output side sometimes one past
/// the natural one, as a transposed convolution's geometry may have it; one case in 8 the conv VAE's
/// 3x3 stride-2 window with padding 1, which has copies of its own) against plain loops, with
/// canaries around every buffer so that a vector store or read past its part shows up. And the bias
/// gradient pass (`lx_channel_gradient`) on random shapes, the VAE's 7x7 and 14x14 planes among them.
final class ConvolutionKernelFuzzTests: XCTestCase {
    private static let seed: UInt64 = 1_234
    private static let cases = 400
    private static let canary = 17   // floats of guard zone on each side
    private static let canaryValue: Float = -12_345

    /// A buffer of `count` floats between two guard zones.
    private final class Guarded {
        let count: Int
        let base: UnsafeMutablePointer<Float>
        var body: UnsafeMutablePointer<Float> { base + ConvolutionKernelFuzzTests.canary }

        init(_ count: Int, fill: (Int) -> Float) {
            self.count = count
            base = .allocate(capacity: count + 2 * ConvolutionKernelFuzzTests.canary)
            base.initialize(repeating: ConvolutionKernelFuzzTests.canaryValue, count: count + 2 * ConvolutionKernelFuzzTests.canary)
            for i in 0 ..< count { body[i] = fill(i) }
        }

        deinit { base.deallocate() }

        var canariesIntact: Bool {
            (0 ..< ConvolutionKernelFuzzTests.canary).allSatisfy {
                base[$0] == ConvolutionKernelFuzzTests.canaryValue
                    && body[count + $0] == ConvolutionKernelFuzzTests.canaryValue
            }
        }
    }

    /// The image pixel element (r, q) of the unfolded matrix reads, or nil in the padding.
    private func source(_ g: lx_conv_geometry, row r: Int, column q: Int) -> Int? {
        let (k, outSide, inSide) = (g.kernel, g.out_side, g.in_side)
        let plane = outSide * outSide
        let (c, tap) = (r / (k * k), r % (k * k))
        let (b, position) = (q / plane, q % plane)
        let iy = (position / outSide) * g.stride - g.padding + tap / k
        let ix = (position % outSide) * g.stride - g.padding + tap % k
        guard iy >= 0, iy < inSide, ix >= 0, ix < inSide else { return nil }
        return ((b * g.channels + c) * inSide + iy) * inSide + ix
    }

    func testUnfoldingMatchesPlainLoopsOnRandomGeometries() {
        var g = SeededGenerator(seed: Self.seed)
        func random(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(g.next() % UInt64(range.count)) }
        var vectorPathCases = 0, fixedWindowCases = 0
        for trial in 0 ..< Self.cases {
            var (stride, kernel, padding, channels, inSide) = (random(1 ... 3), random(1 ... 5), random(0 ... 2), random(1 ... 3), random(1 ... 33))
            if trial % 8 == 0 {   // the VAE's window, on sides around its 14 and 28
                (stride, kernel, padding, inSide) = (2, 3, 1, [12, 13, 14, 26, 27, 28][random(0 ... 5)])
            }
            let span = inSide + 2 * padding - kernel
            guard span >= 0 else { continue }
            let outSide = span / stride + 1 + (random(0 ... 2) == 0 ? 1 : 0)
            let batch = random(1 ... 3)
            let geometry = lx_conv_geometry(channels: channels, in_side: inSide, out_side: outSide,
                                            kernel: kernel, stride: stride, padding: padding)
            if stride <= 2 && outSide <= 16 && inSide <= 16 * stride { vectorPathCases += 1 }
            if stride == 2 && kernel == 3 && padding == 1 && (outSide == 7 || outSide == 14) { fixedWindowCases += 1 }
            let what = "trial \(trial): stride \(stride) kernel \(kernel) padding \(padding) channels \(channels) side \(inSide) -> \(outSide), batch \(batch)"
            let rows = channels * kernel * kernel, columnCount = batch * outSide * outSide
            let imageCount = batch * channels * inSide * inSide

            let x = Guarded(imageCount) { _ in g.nextUniform() * 2 - 1 }
            let columns = Guarded(rows * columnCount) { _ in .nan }
            lx_im2col(geometry, x.body, batch, columns.body, columnCount, 1)
            var unfoldMismatches = 0
            for r in 0 ..< rows {
                for q in 0 ..< columnCount {
                    let expected = source(geometry, row: r, column: q).map { x.body[$0] } ?? 0
                    if columns.body[r * columnCount + q] != expected { unfoldMismatches += 1 }
                }
            }
            XCTAssertEqual(unfoldMismatches, 0, "im2col, \(what)")
            XCTAssertTrue(columns.canariesIntact, "im2col wrote outside its buffer, \(what)")
            XCTAssertTrue(x.canariesIntact)

            for accumulate in [false, true] {
                let start = (0 ..< imageCount).map { _ in g.nextUniform() }
                let folded = Guarded(imageCount) { accumulate ? start[$0] : .nan }
                var expected = accumulate ? start.map(Double.init) : [Double](repeating: 0, count: imageCount)
                for r in 0 ..< rows {
                    for q in 0 ..< columnCount {
                        if let i = source(geometry, row: r, column: q) { expected[i] += Double(columns.body[r * columnCount + q]) }
                    }
                }
                lx_col2im(geometry, columns.body, columnCount, 1, batch, folded.body, accumulate ? 1 : 0)
                let worst = (0 ..< imageCount).map { abs(Double(folded.body[$0]) - expected[$0]) }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, 1e-5, "col2im (accumulate \(accumulate)), \(what)")
                XCTAssertTrue(folded.canariesIntact, "col2im wrote outside its buffer, \(what)")
                XCTAssertTrue(columns.canariesIntact)
            }

            // col2im with the transposed convolution's bias and activation (ReLU, LeakyReLU) in its pass.
            let bias = (0 ..< channels).map { _ in g.nextUniform() - 0.5 }
            var sums = [Double](repeating: 0, count: imageCount)
            for r in 0 ..< rows {
                for q in 0 ..< columnCount {
                    if let i = source(geometry, row: r, column: q) { sums[i] += Double(columns.body[r * columnCount + q]) }
                }
            }
            for activation in [Activation.relu, .leakyReLU] {
                let activated = Guarded(imageCount) { _ in .nan }
                lx_col2im_bias_activation(geometry, columns.body, columnCount, 1, batch, activated.body, bias, activation.code)
                let worst = (0 ..< imageCount).map { i -> Double in
                    let v = sums[i] + Double(bias[(i / (inSide * inSide)) % channels])
                    let expected = v > 0 ? v : (activation == .relu ? 0 : v * Double(LX_LEAKY_RELU_SLOPE))
                    return abs(Double(activated.body[i]) - expected)
                }.max() ?? 0
                XCTAssertLessThanOrEqual(worst, 1e-5, "col2im with bias and \(activation), \(what)")
                XCTAssertTrue(activated.canariesIntact, "col2im with bias wrote outside its buffer, \(what)")
            }
        }
        XCTAssertGreaterThan(vectorPathCases, Self.cases / 10, "the fuzz must reach the vector paths")
        XCTAssertGreaterThan(fixedWindowCases, Self.cases / 20, "the fuzz must reach the fixed-window copies")
    }

    /// lx_channel_gradient against plain loops: the gradient masked in place where the output is not
    /// positive (or left alone without an output), the bias gradient summed (added to with accumulate),
    /// the masked gradient copied channel-major when asked.
    func testChannelGradientMatchesPlainLoops() {
        var g = SeededGenerator(seed: Self.seed + 1)
        func random(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(g.next() % UInt64(range.count)) }
        for trial in 0 ..< Self.cases / 4 {
            let (batch, channels) = (random(1 ... 5), random(1 ... 4))
            let plane = [1, 5, 17, 49, 196][random(0 ... 4)]
            let (masked, copied, accumulate) = (random(0 ... 1) == 1, random(0 ... 1) == 1, random(0 ... 1) == 1)
            let what = "trial \(trial): batch \(batch) channels \(channels) plane \(plane) masked \(masked) copied \(copied)"
            let count = batch * channels * plane
            let start = (0 ..< count).map { _ in g.nextUniform() * 2 - 1 }
            let output = (0 ..< count).map { _ in g.nextUniform() - 0.5 }
            let gradient = Guarded(count) { start[$0] }
            let bias = Guarded(channels) { _ in accumulate ? 0.25 : .nan }
            let copy = Guarded(count) { _ in .nan }
            output.withUnsafeBufferPointer { y in
                lx_channel_gradient(gradient.body, masked ? y.baseAddress : nil, bias.body, copied ? copy.body : nil,
                                    batch, channels, plane, accumulate ? 1 : 0)
            }
            var sums = [Double](repeating: accumulate ? 0.25 : 0, count: channels)
            for b in 0 ..< batch {
                for c in 0 ..< channels {
                    for p in 0 ..< plane {
                        let i = (b * channels + c) * plane + p
                        let expected = masked && output[i] <= 0 ? 0 : start[i]
                        XCTAssertEqual(gradient.body[i], expected, "gradient[\(i)], \(what)")
                        if copied { XCTAssertEqual(copy.body[(c * batch + b) * plane + p], expected, "copy, \(what)") }
                        sums[c] += Double(expected)
                    }
                }
            }
            for c in 0 ..< channels {
                XCTAssertEqual(Double(bias.body[c]), sums[c], accuracy: 1e-5 * Double(batch * plane), "bias gradient \(c), \(what)")
            }
            XCTAssertTrue(gradient.canariesIntact && bias.canariesIntact && copy.canariesIntact, "wrote outside a buffer, \(what)")
        }
    }
}
