import XCTest
@testable import Support
@testable import VAE

/// The importance-weighted bound against log p(x) computed by numerical quadrature over a 1-D latent:
///
///     log p(x) = log ∫ p(x|z) N(z; 0, 1) dz ≈ log Σ_i exp(-BCE(x, decoder(z_i)) + log N(z_i; 0, 1)) + log Δz
///
/// on a fine grid of z. The encoder is moved off the prior (q = N(≈0.3, ≈e^0.5)) so that a wrong
/// log q or log p(z) term would show; the proposal is wider than the posterior, so K samples converge.
final class ImportanceWeightsTests: XCTestCase {
    private let configuration = ModelConfiguration.mlp(inputSize: 12, hiddenSize: 8, latentDim: 1)

    private func model() -> VAEModel {
        let model = VAEModel(configuration: configuration, seed: 21)
        for p in model.parameters where p.name == "encoder.mean.bias" { p.value.assign([0.3]) }
        for p in model.parameters where p.name == "encoder.logvar.bias" { p.value.assign([0.5]) }
        return model
    }

    /// log p(x) for each of `inputs` (`[rows, 12]`) by the trapezoid-free rectangle rule on [-12, 12].
    private func quadrature(_ model: VAEModel, _ inputs: [[Float]]) -> [Double] {
        let (lower, upper, points) = (-12.0, 12.0, 24_001)
        let dz = (upper - lower) / Double(points - 1)
        let z = Matrix(rows: points, columns: 1, values: (0 ..< points).map { Float(lower + Double($0) * dz) })
        let logits = Matrix(rows: points, columns: configuration.inputSize)
        model.network.makeBatchPass(batchCapacity: points, pool: .default).decode(z, classes: nil, logits: logits)
        return inputs.map { x in
            let targets = Matrix(rows: 1, columns: x.count, values: x)
            let terms = (0 ..< points).map { i -> Double in
                let row = Matrix(rows: 1, columns: x.count, values: Array(logits.values[i * x.count ..< (i + 1) * x.count]))
                let zi = Double(z.storage[i])
                return -VAELoss.reconstruction(logits: row, targets: targets, gradient: nil, scale: 1, pool: .default)
                    - 0.5 * zi * zi - 0.5 * log(2 * Double.pi)
            }
            return TrainingStep.logMeanExp(terms) + log(Double(points)) + log(dz)
        }
    }

    func testTheBoundConvergesToTheLogLikelihoodByQuadrature() {
        let model = model()
        var g = SeededGenerator(seed: 5)
        let inputs = (0 ..< 3).map { _ in (0 ..< configuration.inputSize).map { _ in g.nextUniform() } }
        let exact = quadrature(model, inputs)
        let step = TrainingStep(model: model, batchCapacity: inputs.count, pool: .default)
        step.input.assign(inputs.flatMap { $0 })
        let bound = step.importanceWeightedBounds(samples: 20_000, using: &g)
        for (estimate, truth) in zip(bound, exact) {
            XCTAssertEqual(estimate, truth, accuracy: 0.05, "IWAE with K = 20,000 against quadrature")
        }
        // The ELBO (the mean of one-sample bounds) lies clearly below log p(x): q is not the posterior.
        var elbo = [Double](repeating: 0, count: inputs.count)
        let draws = 4_000
        for _ in 0 ..< draws {
            for (i, value) in step.importanceWeightedBounds(samples: 1, using: &g).enumerated() { elbo[i] += value / Double(draws) }
        }
        for (lower, truth) in zip(elbo, exact) { XCTAssertLessThan(lower, truth - 0.05, "the ELBO is a looser bound") }
    }

    /// The K samples of several images share one decoder pass when the workspace has room: the bounds
    /// are those of one sample per pass, draw for draw (the noise is drawn in the same order), for a
    /// plain model and for a conditional one, whose classes are repeated for every sample. Up to Float
    /// rounding: a longer product may be blocked, and so summed, differently.
    func testSamplesDecodedTogetherGiveTheBoundsOfOneSampleAPass() {
        var g = SeededGenerator(seed: 11)
        let inputs = (0 ..< 3).map { _ in (0 ..< configuration.inputSize).map { _ in g.nextUniform() } }
        let models = [model(), VAEModel(configuration: .cvae(inputSize: 12, hiddenSize: 8, latentDim: 2, classCount: 4), seed: 3)]
        for model in models {
            // Capacity 3: one sample a pass; 3 * 7: seven samples a pass, 17 = 7 + 7 + 3 in three passes.
            let bounds = [3, 21].map { capacity -> [Double] in
                let step = TrainingStep(model: model, batchCapacity: capacity, pool: .default)
                step.input.rows = inputs.count
                step.input.assign(inputs.flatMap { $0 })
                if step.classes != nil { step.setClasses([2, 0, 3]) }
                var generator = SeededGenerator(seed: 12)
                return step.importanceWeightedBounds(samples: 17, using: &generator)
            }
            XCTAssertEqual(bounds[0].count, 3)
            for (alone, together) in zip(bounds[0], bounds[1]) {
                XCTAssertEqual(alone, together, accuracy: 1e-5 * max(1, abs(alone)), "\(model.configuration.architecture.name)")
            }
        }
    }

    /// The shipped MLPs' shape at a smaller width (784 pixels, 64 hidden units, z = 2 and 16), its
    /// posteriors narrowed (σ = e^-3, as a trained model's are) so that an image's samples lie close
    /// together and its hidden units split into always-on, sometimes-on and off: K = 60 samples of 4 images in one pass, where the decoder folds each image's always-on
    /// units into an affine map of z, give the bounds of one sample a pass (no folding: a group of one
    /// row), up to Float rounding.
    func testFoldedDecodeGivesTheBoundsOfOneSampleAPass() {
        for latent in [2, 16] {
            let model = VAEModel(configuration: .mlp(inputSize: 784, hiddenSize: 64, latentDim: latent), seed: 4)
            for p in model.parameters where p.name == "encoder.logvar.bias" { p.value.fill(-6) }
            var g = SeededGenerator(seed: 13)
            let images = (0 ..< 4).map { _ in (0 ..< 784).map { _ in g.nextUniform() < 0.2 ? Float(1) : 0 } }
            let bounds = [4, 240].map { capacity -> [Double] in
                let step = TrainingStep(model: model, batchCapacity: capacity, pool: .default)
                step.input.rows = images.count
                step.input.assign(images.flatMap { $0 })
                var generator = SeededGenerator(seed: 14)
                return step.importanceWeightedBounds(samples: 60, using: &generator)
            }
            for (alone, together) in zip(bounds[0], bounds[1]) {
                XCTAssertEqual(alone, together, accuracy: 1e-5 * max(1, abs(alone)), "z = \(latent)")
            }
        }
    }

    /// Log weights of real images are hundreds of nats below zero: their mean is taken in the log domain.
    func testLogMeanExpIsStableForLargeMagnitudes() {
        XCTAssertEqual(TrainingStep.logMeanExp([-1_000, -1_000]), -1_000, accuracy: 1e-9)
        XCTAssertEqual(TrainingStep.logMeanExp([-800, -800 + log(3.0)]), -800 + log(2.0), accuracy: 1e-9)
        XCTAssertEqual(TrainingStep.logMeanExp([1_000, 1_000, 1_000]), 1_000, accuracy: 1e-9)
        XCTAssertEqual(TrainingStep.logMeanExp([-.infinity, -5]), -5 - log(2.0), accuracy: 1e-12)
        XCTAssertEqual(TrainingStep.logMeanExp([]), -.infinity)
    }
}
