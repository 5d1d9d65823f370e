import CKernels
import Support
import XCTest

/// `lx_accumulate_active_rows` (one point; on AVX-512 the output held in registers, in passes of up to
/// 17 vectors) and `lx_accumulate_active_rows_batch` against a plain sum over the active rows, in
/// increasing row order as the kernels sum them: odd widths (tails of 1 to 15 columns; one, two and three
/// passes: 272 = 17 vectors, 273 = 17 and a column, 288 = 18 vectors, 784 = 49), more active rows than
/// one chunk of 512, padded strides, unaligned starts, and hidden vectors all inactive, all active and mixed.
final class ActiveRowsKernelTests: XCTestCase {
    private struct Layer {
        let rows: [Float], stride: Int, hiddenCount: Int, width: Int
    }

    private func layer(hiddenCount: Int, width: Int, padding: Int, generator: inout SeededGenerator) -> Layer {
        let stride = width + padding
        return Layer(rows: (0 ..< hiddenCount * stride).map { _ in generator.nextUniform() - 0.5 }, stride: stride,
                     hiddenCount: hiddenCount, width: width)
    }

    /// ReLU outputs: zero for about half the units, or for none or all as `fill` says.
    private func hidden(_ count: Int, fill: String, generator: inout SeededGenerator) -> [Float] {
        (0 ..< count).map { _ in
            let u = generator.nextUniform()
            switch fill {
            case "inactive": return 0
            case "active": return u + 0.01
            default: return u < 0.5 ? 0 : u
            }
        }
    }

    private func reference(_ layer: Layer, _ hidden: ArraySlice<Float>, start: [Float]) -> [Float] {
        var out = start
        for (j, a) in hidden.enumerated() where a > 0 {
            for i in 0 ..< layer.width { out[i] = out[i].addingProduct(a, layer.rows[j * layer.stride + i]) }
        }
        return out
    }

    private func assertClose(_ got: ArraySlice<Float>, _ want: [Float], _ what: String) {
        XCTAssertEqual(got.count, want.count, what)
        for (g, w) in zip(got, want) where abs(g - w) > 1e-5 * max(1, abs(w)) {
            XCTFail("\(what): \(g) against \(w)")
            return
        }
    }

    private let shapes: [(hidden: Int, width: Int, padding: Int)] = [
        (1, 1, 0), (3, 15, 1), (7, 16, 0), (9, 17, 15), (33, 100, 12), (64, 448, 0), (65, 449, 15), (40, 450, 0), (20, 272, 0), (21, 273, 15), (22, 288, 0),
        (130, 784, 0), (256, 512, 0), (600, 784, 0), (513, 33, 0),
    ]

    func testOnePointMatchesThePlainSum() {
        var generator = SeededGenerator(seed: 3)
        for shape in shapes {
            let layer = layer(hiddenCount: shape.hidden, width: shape.width, padding: shape.padding, generator: &generator)
            for fill in ["inactive", "active", "mixed"] {
                let h = hidden(shape.hidden, fill: fill, generator: &generator)
                let start = (0 ..< shape.width).map { _ in generator.nextUniform() }
                // One float in, so that neither the output nor the rows start on a 64-byte line.
                var out = [0] + start
                layer.rows.withUnsafeBufferPointer { rows in
                    out.withUnsafeMutableBufferPointer { o in
                        lx_accumulate_active_rows(o.baseAddress! + 1, rows.baseAddress!, layer.stride, h, shape.hidden, shape.width)
                    }
                }
                assertClose(out[1...], reference(layer, h[...], start: start), "\(shape) \(fill)")
            }
        }
    }

    func testBatchesMatchThePlainSum() {
        var generator = SeededGenerator(seed: 4)
        for shape in shapes where shape.hidden * shape.width < 200_000 {
            let layer = layer(hiddenCount: shape.hidden, width: shape.width, padding: shape.padding, generator: &generator)
            for points in [1, 2, 4, 5, 9] {
                let h = (0 ..< points).flatMap { p in hidden(shape.hidden, fill: ["mixed", "inactive", "active"][p % 3], generator: &generator) }
                let start = (0 ..< points * shape.width).map { _ in generator.nextUniform() }
                var out = start
                lx_accumulate_active_rows_batch(&out, layer.rows, layer.stride, h, points, shape.hidden, shape.width)
                for p in 0 ..< points {
                    let want = reference(layer, h[p * shape.hidden ..< (p + 1) * shape.hidden],
                                         start: Array(start[p * shape.width ..< (p + 1) * shape.width]))
                    assertClose(out[p * shape.width ..< (p + 1) * shape.width], want, "\(shape) \(points) points, point \(p)")
                }
            }
        }
    }
}
