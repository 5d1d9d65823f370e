import CKernels
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

    // MARK: Folding the units positive in every row of a group

    /// u [rows, 3]: each group's rows scattered closely about a centre of its own (as an image's K samples
    /// are), so that most hidden units of the previous layer are positive in all or none of them.
    private func clusteredInputs(rows: Int, groups: Int, spread: Float, _ g: inout SeededGenerator) -> Matrix {
        let u = Matrix(rows: rows, columns: 3)
        let centres = (0 ..< groups * 3).map { _ in g.nextUniform() * 4 - 2 }
        for r in 0 ..< rows {
            for j in 0 ..< 3 { u[r, j] = centres[(r % groups) * 3 + j] + spread * (g.nextUniform() * 2 - 1) }
        }
        return u
    }

    /// y = act(W f(V u + c) + b) for every row in Double: the reference the folded product is held to.
    private func doubleReference(_ u: Matrix, previous: Dense, layer: Dense) -> [Double] {
        let (hidden, outputs) = (previous.outputSize, layer.outputSize)
        var y = [Double]()
        for r in 0 ..< u.rows {
            let h = (0 ..< hidden).map { j -> Double in
                var pre = Double(previous.bias.value.storage[j])
                for l in 0 ..< u.columns { pre += Double(previous.weight.value[j, l]) * Double(u[r, l]) }
                return Self.apply(previous.activation, pre)
            }
            for p in 0 ..< outputs {
                var pre = Double(layer.bias.value.storage[p])
                for j in 0 ..< hidden { pre += Double(layer.weight.value[p, j]) * h[j] }
                y.append(Self.apply(layer.activation, pre))
            }
        }
        return y
    }

    private static func apply(_ activation: Activation, _ v: Double) -> Double {
        switch activation {
        case .identity: return v
        case .relu: return max(v, 0)
        case .leakyReLU: return v > 0 ? v : Double(Activation.leakySlope) * v
        }
    }

    /// The grouped pass of `layer` after `previous` on u, with folding, checked against the Double
    /// reference and the plain pass; returns how many groups were folded.
    private func checkFolded(_ u: Matrix, groups: Int, previous: Dense, layer: Dense, threads: Int,
                             file: StaticString = #filePath, line: UInt = #line) -> Int {
        let pool = ComputePool(threadCount: threads)
        let hidden = Matrix(rows: u.rows, columns: previous.outputSize)
        previous.forward(u, into: hidden, pool: pool)
        let plain = Matrix(rows: u.rows, columns: layer.outputSize), folded = Matrix(rows: u.rows, columns: layer.outputSize)
        layer.forward(hidden, into: plain, pool: pool)
        let scratch = ActiveInputsScratch()
        layer.forward(hidden, into: folded, skippingInputsZeroInEachOf: groups, after: (previous, u), scratch: scratch, pool: pool)
        let reference = doubleReference(u, previous: previous, layer: layer)
        for (i, (a, b)) in zip(folded.values, plain.values).enumerated() {
            let scale = max(1, abs(reference[i]))
            XCTAssertEqual(Double(a), reference[i], accuracy: 2e-5 * scale, "entry \(i) against Double", file: file, line: line)
            XCTAssertEqual(a, b, accuracy: Float(2e-5 * scale), "entry \(i) against the plain pass", file: file, line: line)
        }
        checkLikelihoods(u, hidden: hidden, plain: plain, groups: groups, previous: previous, layer: layer, pool: pool,
                         file: file, line: line)
        return scratch.foldedGroups.load(ordering: .relaxed)
    }

    /// With `bernoulliLikelihoods` set, an output layer without activation writes, for each row, the
    /// Bernoulli log-likelihood of its group's image under its logits (and no logits): the same as the
    /// cross-entropy of the plain pass's logits. A layer with an activation ignores it.
    private func checkLikelihoods(_ u: Matrix, hidden: Matrix, plain: Matrix, groups: Int, previous: Dense, layer: Dense,
                                  pool: ComputePool, file: StaticString, line: UInt) {
        let (rows, m) = (hidden.rows, layer.outputSize)
        let images = Matrix(rows: groups, columns: m)
        for i in 0 ..< images.count { images.storage[i] = Float(i % 3) / 2 }
        var likelihoods = [Double](repeating: .nan, count: rows)
        let output = Matrix(rows: rows, columns: m)
        output.fill(7)
        let scratch = ActiveInputsScratch()
        likelihoods.withUnsafeMutableBufferPointer { into in
            scratch.bernoulliLikelihoods = BernoulliLikelihoods(logits: output, images: images.storage, into: into.baseAddress!)
            layer.forward(hidden, into: output, skippingInputsZeroInEachOf: groups, after: (previous, u), scratch: scratch, pool: pool)
        }
        guard case .identity = layer.activation else {
            XCTAssertFalse(scratch.likelihoodsWritten, "\(layer.activation): logits, not likelihoods", file: file, line: line)
            XCTAssertTrue(likelihoods.allSatisfy(\.isNaN), file: file, line: line)
            return
        }
        XCTAssertTrue(scratch.likelihoodsWritten, file: file, line: line)
        XCTAssertTrue(output.values.allSatisfy { $0 == 7 }, "no logits written", file: file, line: line)
        for r in 0 ..< rows {
            let image = Array(images.values[(r % groups) * m ..< (r % groups + 1) * m])
            let expected = -lx_bce_with_logits(Array(plain.values[r * m ..< (r + 1) * m]), image, nil, m, 1)
            XCTAssertEqual(likelihoods[r], expected, accuracy: 1e-4 * max(1, abs(expected)), "row \(r)", file: file, line: line)
        }
    }

    /// Groups of 37 and 36 rows (not a multiple of any block), 3 latent inputs, 48 hidden units: most
    /// groups fold (their always-positive units become one affine map of u), every activation of the
    /// second layer, ReLU and LeakyReLU before it, one and two threads.
    func testFoldingAlwaysPositiveUnitsGivesThePlainForwardPass() {
        for first in [Activation.relu, .leakyReLU] {
            for activation in Activation.allCases {
                for threads in [1, 2] {
                    var g = SeededGenerator(seed: 34)
                    let previous = Dense(name: "h", inputSize: 3, outputSize: 48, activation: first)
                    let layer = Dense(name: "o", inputSize: 48, outputSize: 19, activation: activation)
                    previous.initialize(using: &g); layer.initialize(using: &g)
                    let u = clusteredInputs(rows: 7 * 37 - 3, groups: 7, spread: 0.05, &g)
                    let folded = checkFolded(u, groups: 7, previous: previous, layer: layer, threads: threads)
                    XCTAssertGreaterThan(folded, 3, "\(first) then \(activation), \(threads) threads: most groups fold")
                }
            }
        }
    }

    /// The edges: every hidden unit off (no active units: the rows are the bias alone), every unit on in
    /// every row (all folded, no varying unit), and rows spread so widely that folding costs more and
    /// the plain grouped product is taken.
    func testFoldingEdgesNoActiveUnitsAllActiveAndNotWorthIt() {
        for (bias, spread, expectFolds) in [(Float(-100), Float(0.05), false), (100, 0.05, true), (0, 40, false)] {
            var g = SeededGenerator(seed: 35)
            let previous = Dense(name: "h", inputSize: 3, outputSize: 48, activation: .relu)
            let layer = Dense(name: "o", inputSize: 48, outputSize: 19, activation: .identity)
            previous.initialize(using: &g); layer.initialize(using: &g)
            previous.bias.value.fill(bias)
            let u = clusteredInputs(rows: 4 * 25, groups: 4, spread: spread, &g)
            let folded = checkFolded(u, groups: 4, previous: previous, layer: layer, threads: 2)
            XCTAssertEqual(folded > 0, expectFolds, "bias \(bias), spread \(spread)")
        }
    }

    /// The cost rule: S (in + 1 + |R|) + (in + 1) |L| against S (|L| + |R|).
    func testFoldingIsChosenOnlyWhenItCostsFewerMultiplyAdds() {
        XCTAssertTrue(Dense.foldingCostsLess(rows: 100, narrowInputs: 2, linear: 207, varying: 34))
        XCTAssertTrue(Dense.foldingCostsLess(rows: 100, narrowInputs: 16, linear: 157, varying: 142))
        XCTAssertFalse(Dense.foldingCostsLess(rows: 100, narrowInputs: 2, linear: 0, varying: 300))
        XCTAssertFalse(Dense.foldingCostsLess(rows: 2, narrowInputs: 16, linear: 200, varying: 10))
    }
}
