import XCTest
@testable import Support
@testable import VAE

/// `Dense`'s sparse-input passes (`DenseSparseInputs.swift`) against its sgemm passes: the same outputs
/// and the same weight, bias and input gradients to float tolerance, for every activation, one to three
/// threads, shapes that are not multiples of a vector or a panel, and inputs with all-zero and
/// all-dense rows; and the choice between the two paths.
final class DenseSparseInputsTests: XCTestCase {
    /// x [rows, inputs] about `density` nonzero (letters' pixels in [0, 1], or a ReLU's outputs), with
    /// row 0 all zero and row 1 all nonzero.
    private func sparseInput(rows: Int, inputs: Int, density: Float, _ g: inout SeededGenerator) -> Matrix {
        let x = Matrix(rows: rows, columns: inputs)
        for r in 0 ..< rows {
            for j in 0 ..< inputs where r == 1 || (r != 0 && g.nextUniform() < density) { x[r, j] = g.nextUniform() }
        }
        return x
    }

    private func assertClose(_ a: Matrix, _ b: Matrix, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.rows, b.rows, what, file: file, line: line)
        for (i, (u, v)) in zip(a.values, b.values).enumerated() where abs(u - v) > 1e-4 * max(1, abs(u)) {
            XCTFail("\(what): element \(i): \(u) against \(v)", file: file, line: line)
            return
        }
    }

    /// One forward and backward pass of `layer` both ways on x, with an upstream gradient dy; returns
    /// nothing, asserting the outputs, dW, db and dx (accumulated onto a non-zero dx) agree.
    private func checkBothPaths(_ layer: Dense, _ x: Matrix, threads: Int, _ g: inout SeededGenerator, _ what: String) {
        let pool = ComputePool(threadCount: threads), scratch = SparseInputsScratch()
        let (rows, m, n) = (x.rows, layer.outputSize, layer.inputSize)
        let y = Matrix(rows: rows, columns: m), ySparse = Matrix(rows: rows, columns: m)
        layer.forward(x, into: y, pool: pool)
        layer.forward(x, into: ySparse, skippingZeroInputsWith: scratch, pool: pool)
        assertClose(y, ySparse, "\(what): y")
        let upstream = (0 ..< rows * m).map { _ in g.nextUniform() * 2 - 1 }
        let start = (0 ..< rows * n).map { _ in g.nextUniform() }
        var results: [(dW: [Float], db: [Float], dx: [Float])] = []
        for sparse in [false, true] {
            let dy = Matrix(rows: rows, columns: m), dx = Matrix(rows: rows, columns: n)
            dy.assign(upstream)
            dx.assign(start)
            if sparse {
                layer.backward(input: x, output: ySparse, outputGradient: dy, inputGradient: dx, accumulateInputGradient: true,
                               skippingZeroInputsWith: scratch, pool: pool)
            } else {
                layer.backward(input: x, output: y, outputGradient: dy, inputGradient: dx, accumulateInputGradient: true, pool: pool)
            }
            results.append((layer.weight.gradient.values, layer.bias.gradient.values, dx.values))
        }
        for (name, a, b) in [("dW", results[0].dW, results[1].dW), ("db", results[0].db, results[1].db),
                             ("dx", results[0].dx, results[1].dx)] {
            for (i, (u, v)) in zip(a, b).enumerated() where abs(u - v) > 1e-4 * max(1, abs(u)) {
                XCTFail("\(what): \(name)[\(i)]: \(u) against \(v)")
                break
            }
        }
    }

    func testSparsePassesGiveTheDensePassesResults() {
        var g = SeededGenerator(seed: 71)
        for activation in Activation.allCases {
            for threads in [1, 2, 3] {
                for (inputs, outputs, rows, density) in [(37, 70, 33, Float(0.3)), (130, 64, 40, 0.05), (9, 129, 35, 0.6)] {
                    let layer = Dense(name: "t", inputSize: inputs, outputSize: outputs, activation: activation)
                    layer.initialize(using: &g)
                    let x = sparseInput(rows: rows, inputs: inputs, density: density, &g)
                    checkBothPaths(layer, x, threads: threads, &g, "\(activation), \(threads) threads, [\(rows), \(inputs)] -> \(outputs)")
                }
            }
        }
    }

    /// A seeded campaign over shapes and densities, all-zero inputs included, with one scratch reused
    /// across shapes (as a batch pass's workspace is across its layers) so that growing it is covered.
    func testFuzzShapesAndDensities() {
        var g = SeededGenerator(seed: 72)
        for trial in 0 ..< 24 {
            let inputs = 1 + Int(g.nextUniform() * 200), outputs = 1 + Int(g.nextUniform() * 160)
            let rows = 1 + Int(g.nextUniform() * 70), density = [Float(0), 0.1, 0.5, 1][trial % 4]
            let layer = Dense(name: "t", inputSize: inputs, outputSize: outputs, activation: trial % 2 == 0 ? .relu : .identity)
            layer.initialize(using: &g)
            let x = sparseInput(rows: rows, inputs: inputs, density: density, &g)
            checkBothPaths(layer, x, threads: 1 + trial % 3, &g, "trial \(trial): [\(rows), \(inputs)] -> \(outputs) at \(density)")
        }
    }

    /// The workspace's path: sparse for a large enough product on enough sparse rows, sgemm otherwise.
    func testThePathFollowsTheInputsDensityAndSize() {
        var g = SeededGenerator(seed: 73)
        let layer = Dense(name: "t", inputSize: 784, outputSize: 512, activation: .relu)
        let rows = Dense.sparseMinimumRows
        XCTAssertTrue(layer.takesSparseInputs(sparseInput(rows: rows, inputs: 784, density: 0.2, &g)))
        XCTAssertFalse(layer.takesSparseInputs(sparseInput(rows: rows, inputs: 784, density: 0.95, &g)), "too dense")
        XCTAssertFalse(layer.takesSparseInputs(sparseInput(rows: rows - 1, inputs: 784, density: 0.2, &g)), "too few rows")
        let head = Dense(name: "h", inputSize: 512, outputSize: 2, activation: .identity)
        XCTAssertFalse(head.takesSparseInputs(sparseInput(rows: 128, inputs: 512, density: 0.2, &g)), "too small a product")
    }
}
