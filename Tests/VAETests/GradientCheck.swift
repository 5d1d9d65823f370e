import XCTest
@testable import Support
@testable import VAE

/// Analytic gradients against central finite differences, on shapes small enough that every entry can
/// be checked. Float32 forward passes limit the agreement to about 1e-3 relative.
enum GradientCheck {
    static func assertClose(_ analytic: Float, _ numeric: Float, _ what: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        let tolerance = 2e-3 + 2e-2 * max(abs(analytic), abs(numeric))
        XCTAssertLessThanOrEqual(abs(analytic - numeric), tolerance,
                                 "\(what): analytic \(analytic) vs numeric \(numeric)", file: file, line: line)
    }

    /// Checks `analytic[i]` against (loss(v_i + h) - loss(v_i - h)) / 2h for every entry of `values`.
    static func check(_ values: Matrix, analytic: [Float], step h: Float, _ what: String,
                      file: StaticString = #filePath, line: UInt = #line, loss: () -> Float) {
        precondition(analytic.count == values.count)
        for i in 0 ..< values.count {
            let saved = values.storage[i]
            values.storage[i] = saved + h; let plus = loss()
            values.storage[i] = saved - h; let minus = loss()
            values.storage[i] = saved
            assertClose(analytic[i], (plus - minus) / (2 * h), "\(what)[\(i)]", file: file, line: line)
        }
    }

    static func randomMatrix(_ rows: Int, _ columns: Int, _ g: inout SeededGenerator, scale: Float = 1) -> Matrix {
        Matrix(rows: rows, columns: columns, values: (0 ..< rows * columns).map { _ in (g.nextUniform() * 2 - 1) * scale })
    }

    /// The whole VAE objective (reconstruction + β KL through the reparameterisation, noise held fixed)
    /// of a model of `configuration`: every parameter's gradient. Returns the number of entries checked.
    @discardableResult
    static func checkVAELoss(_ configuration: ModelConfiguration, objective: VAEObjective = .elbo, batch: Int = 3,
                             seed: UInt64 = 3, file: StaticString = #filePath, line: UInt = #line) -> Int {
        let model = VAEModel(configuration: configuration, seed: seed)
        let step = TrainingStep(model: model, batchCapacity: batch, objective: objective, pool: .default)
        var g = SeededGenerator(seed: seed + 8)
        let (n, l) = (configuration.inputSize, configuration.latentDim)
        step.input.assign((0 ..< batch * n).map { _ in g.nextUniform() })
        step.noise.rows = batch
        step.noise.assign((0 ..< batch * l).map { _ in g.nextGaussian() })
        // A conditional model's rows get distinct classes where there are enough, so the one-hot
        // columns of both hidden layers carry gradient (a class no row has has none to check).
        if configuration.isConditional {
            step.setClasses((0 ..< batch).map { Int32(($0 * 2 + Int(seed)) % configuration.classCount) })
        }
        func loss() -> Float { Float(objective.value(of: step.forward(sampleNoise: false, using: &g)) / Double(batch)) }
        _ = step.forward(sampleNoise: false, using: &g, computeGradients: true)
        step.backward()
        var checked = 0
        for p in model.parameters {
            check(p.value, analytic: p.gradient.values, step: 2e-3, "\(p.name) (\(objective))", file: file, line: line, loss: loss)
            checked += p.value.count
        }
        // Every tensor the architecture declares for its weight files was among those checked, whole: a
        // layer left out of `parameters` would otherwise train (and be checked) nowhere.
        let declared = VAEModel.parameterShapes(for: configuration)
        XCTAssertEqual(model.parameters.map(\.name).sorted(), declared.map(\.name).sorted(), file: file, line: line)
        XCTAssertEqual(checked, declared.reduce(0) { $0 + $1.shape.reduce(1, *) }, file: file, line: line)
        return checked
    }

    /// `checkVAELoss` of `configuration` at each of `latentSizes`, its other sizes kept: what every
    /// architecture's gradient test runs (1 is the smallest space, 2 the explorer's plane).
    static func checkVAELoss(_ configuration: ModelConfiguration, latentSizes: [Int],
                             file: StaticString = #filePath, line: UInt = #line) {
        for latentDim in latentSizes {
            var sized = configuration
            sized.latentDim = latentDim
            checkVAELoss(sized, file: file, line: line)
        }
    }

    /// `checkVAELoss` with the KL term weighted by each of `klWeights`: β scales the KL term's gradient
    /// only, so a β applied to the wrong term, or not at all, fails here.
    static func checkVAELoss(_ configuration: ModelConfiguration, klWeights: [Double], seed: UInt64,
                             file: StaticString = #filePath, line: UInt = #line) {
        for beta in klWeights {
            checkVAELoss(configuration, objective: VAEObjective(klWeight: beta), seed: seed, file: file, line: line)
        }
    }
}
