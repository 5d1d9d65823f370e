import CKernels
import XCTest

/// The C kernels' own exp/log1p approximations against the C library, over the whole range used.
final class KernelTests: XCTestCase {
    func testBCEMatchesLibmAcrossTheRange() {
        var logits: [Float] = []
        var targets: [Float] = []
        var l: Float = -90
        while l <= 90 { logits.append(l); targets.append(Float(logits.count % 5) / 4); l += 0.0137 }
        var gradient = [Float](repeating: 0, count: logits.count)
        let total = lx_bce_with_logits(logits, targets, &gradient, logits.count, 0.5)
        var expected: Double = 0
        for (i, v) in logits.enumerated() {
            let (lv, x) = (Double(v), Double(targets[i]))
            let term = max(lv, 0) + log1p(exp(-abs(lv))) - x * lv
            expected += term
            let sigmoid = 1 / (1 + exp(-lv))
            XCTAssertEqual(Double(gradient[i]), (sigmoid - x) * 0.5, accuracy: 1e-6, "gradient at \(v)")
        }
        XCTAssertEqual(total, expected, accuracy: abs(expected) * 1e-6)
    }

    func testSigmoidInPlaceMatchesLibm() {
        var values: [Float] = stride(from: -100, through: 100, by: 0.25).map { Float($0) }
        let original = values
        values.withUnsafeMutableBufferPointer { lx_sigmoid($0.baseAddress, $0.baseAddress, $0.count) }
        for (x, s) in zip(original, values) {
            XCTAssertEqual(Double(s), 1 / (1 + exp(-Double(x))), accuracy: 2e-7, "sigmoid(\(x))")
        }
    }
}
