import CKernels
import XCTest
@testable import VAE

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

    /// Each activation code's forward (alone and fused into the dense bias pass, over whole vectors and
    /// the leftover tail) and its output-read derivative, against their definitions written out here.
    func testActivationCodesMatchTheirDefinitions() {
        let slope: Float = 0.01   // PyTorch's nn.LeakyReLU() default
        let definitions: [(Activation, (Float) -> Float, (Float) -> Float)] = [
            (.identity, { $0 }, { _ in 1 }),
            (.relu, { max($0, 0) }, { $0 > 0 ? 1 : 0 }),
            (.leakyReLU, { $0 > 0 ? $0 : slope * $0 }, { $0 > 0 ? 1 : slope }),
        ]
        XCTAssertEqual(definitions.map(\.0), Activation.allCases, "every activation has its definition here")
        let (rows, columns) = (3, 37)   // two vectors of 16 and a tail of 5 per row
        let pre = (0 ..< rows * columns).map { Float(($0 * 7919) % 201 - 100) / 13 }
        let bias = (0 ..< columns).map { Float($0 % 9 - 4) / 5 }
        for (activation, f, derivative) in definitions {
            var y = pre
            lx_activation_forward(&y, y.count, activation.code)
            XCTAssertEqual(y, pre.map(f), "\(activation) forward")
            XCTAssertEqual(pre.map { activation($0) }, pre.map(f), "\(activation) in Swift")
            var fused = pre
            lx_dense_bias_activation(&fused, bias, rows, columns, activation.code)
            XCTAssertEqual(fused, pre.indices.map { f(pre[$0] + bias[$0 % columns]) }, "\(activation) fused with the bias")
            let upstream = pre.indices.map { Float($0 % 11) - 5 }
            var gradient = upstream
            lx_activation_backward(&gradient, y, y.count, activation.code)
            XCTAssertEqual(gradient, pre.indices.map { upstream[$0] * derivative(pre[$0]) }, "\(activation) backward")
        }
    }
}
