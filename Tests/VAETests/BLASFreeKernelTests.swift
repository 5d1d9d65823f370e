import CKernels
import XCTest
@testable import Support
@testable import VAE

/// The BLAS-free products behind the explorer's inference path against plain loops in Double, on
/// sizes that reach every block path of the kernels: full 4-row and 64-column blocks, 16-column
/// blocks, partial columns (packed, or in scalar code for very long k), leftover rows, a dimension
/// shorter than one vector.
final class BLASFreeKernelTests: XCTestCase {
    func testSmallGemmMatchesPlainLoops() {
        var g = SeededGenerator(seed: 41)
        // k = 1100 is past the depth up to which the last partial columns are packed (scalar there).
        for m in [1, 3, 4, 9] {
            for n in [1, 15, 16, 17, 64, 100] {
                for k in [1, 5, 33, 1100] where k < 1000 || (m <= 4 && n <= 17) {
                    PlainProductCheck.check(lx_small_gemm, m: m, n: n, k: k, &g)
                }
            }
        }
    }

    /// Dense's BLAS-free forward against its sgemm forward, including the decoder's own 2 -> 128 -> 3136.
    func testDenseInferenceForwardMatchesTheTrainingForward() {
        var g = SeededGenerator(seed: 43)
        let shapes = [(2, 128), (128, 3136), (16, 4), (37, 7), (5, 1), (40, 130)]
        for (inputSize, outputSize) in shapes {
            for activation in Activation.allCases {
                let layer = Dense(name: "d", inputSize: inputSize, outputSize: outputSize, activation: activation)
                layer.initialize(using: &g)
                for rows in [1, 3, 4, 9] {
                    let x = Matrix(rows: rows, columns: inputSize, values: PlainProductCheck.randomValues(rows * inputSize, &g))
                    let y = Matrix(rows: rows, columns: outputSize)
                    layer.forward(x, into: y, pool: .default)
                    var output = [Float](repeating: .nan, count: rows * outputSize)
                    layer.inferenceForward(x.storage, count: rows, into: &output)
                    for i in 0 ..< output.count {
                        XCTAssertEqual(output[i], y.storage[i], accuracy: 1e-5 * max(1, abs(y.storage[i])),
                                       "dense \(inputSize)->\(outputSize) \(activation), \(rows) rows, at \(i)")
                    }
                }
            }
        }
    }
}
