import XCTest
@testable import Support
@testable import VAE

/// `Dense.forward(_:into:skippingInputsZeroInEachOf:pool:)`, the importance-weighted bound's decoder
/// product that leaves out each group's all-zero inputs, against the plain forward pass.
final class DenseActiveInputsTests: XCTestCase {
    /// Rows r of group r mod 3, 11 rows (groups of 4, 4 and 3): in group 0 inputs 0...4 are zero in every
    /// row, in group 1 input 2 is zero in all but one row (so it stays), group 2 is all zero (its rows
    /// are the bias alone), and about a third of the other entries are zero as a ReLU leaves them.
    private func groupedInput(_ g: inout SeededGenerator) -> (x: Matrix, skipped: Int) {
        let (rows, groups, inputs) = (11, 3, 9)
        let x = Matrix(rows: rows, columns: inputs)
        for r in 0 ..< rows {
            for j in 0 ..< inputs {
                let value = g.nextUniform() * 2 - 1
                x[r, j] = max(0, value + 0.3)
            }
            switch r % groups {
            case 0: for j in 0 ..< 5 { x[r, j] = 0 }
            case 1: x[r, 2] = r == 4 ? 0.5 : 0
            default: for j in 0 ..< inputs { x[r, j] = 0 }
            }
        }
        var skipped = 0
        for group in 0 ..< groups {
            for j in 0 ..< inputs where stride(from: group, to: rows, by: groups).allSatisfy({ x[$0, j] == 0 }) { skipped += 1 }
        }
        return (x, skipped)
    }

    func testSkippingEachGroupsZeroInputsGivesThePlainForwardPass() {
        for activation in Activation.allCases {
            for threads in [1, 2] {
                var g = SeededGenerator(seed: 31)
                let layer = Dense(name: "t", inputSize: 9, outputSize: 7, activation: activation)
                layer.initialize(using: &g)
                let (x, expectedSkips) = groupedInput(&g)
                XCTAssertGreaterThanOrEqual(expectedSkips, 5 + 9, "the input has whole zero columns in groups 0 and 2")
                let pool = ComputePool(threadCount: threads)
                let plain = Matrix(rows: x.rows, columns: 7), grouped = Matrix(rows: x.rows, columns: 7)
                layer.forward(x, into: plain, pool: pool)
                let skipped = layer.forward(x, into: grouped, skippingInputsZeroInEachOf: 3, pool: pool)
                XCTAssertEqual(skipped, expectedSkips, "\(activation), \(threads) threads")
                XCTAssertEqual(grouped.rows, x.rows)
                for (a, b) in zip(plain.values, grouped.values) {
                    XCTAssertEqual(a, b, accuracy: 1e-5, "\(activation), \(threads) threads")
                }
            }
        }
    }

    /// More groups than rows: every row is a group of its own.
    func testMoreGroupsThanRowsMakesEachRowAGroup() {
        var g = SeededGenerator(seed: 32)
        let layer = Dense(name: "t", inputSize: 9, outputSize: 7, activation: .relu)
        layer.initialize(using: &g)
        let (x, _) = groupedInput(&g)
        let plain = Matrix(rows: x.rows, columns: 7), grouped = Matrix(rows: x.rows, columns: 7)
        layer.forward(x, into: plain, pool: .default)
        layer.forward(x, into: grouped, skippingInputsZeroInEachOf: 50, pool: .default)
        for (a, b) in zip(plain.values, grouped.values) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    /// The scratch keeps each weight's transpose from pass to pass: a weight changed in between (a
    /// training step, a load) must be transposed again, not read from the old copy.
    func testAChangedWeightIsTransposedAgain() {
        var g = SeededGenerator(seed: 33)
        let layer = Dense(name: "t", inputSize: 9, outputSize: 7, activation: .identity)
        layer.initialize(using: &g)
        let (x, _) = groupedInput(&g)
        let scratch = ActiveInputsScratch()
        let plain = Matrix(rows: x.rows, columns: 7), grouped = Matrix(rows: x.rows, columns: 7)
        for change in 0 ..< 3 {
            if change > 0 { layer.weight.value.storage[change * 10] += 0.5 }
            layer.forward(x, into: plain, pool: .default)
            layer.forward(x, into: grouped, skippingInputsZeroInEachOf: 3, scratch: scratch, pool: .default)
            for (a, b) in zip(plain.values, grouped.values) { XCTAssertEqual(a, b, accuracy: 1e-5, "after change \(change)") }
        }
    }
}
