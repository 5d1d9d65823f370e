import XCTest
@testable import Support
@testable import VAE

/// The conditional VAE's loss gradients against central finite differences, for every parameter, at
/// latent sizes 1, 2 and 5 and with β ≠ 1. The rows of each batch have different classes, so the
/// one-hot columns of `encoder.hidden.weight` `[H, N + C]` and `decoder.hidden.weight` `[H, L + C]` (the
/// labels' path into both networks) are among the entries checked, with a non-zero gradient.
final class CVAENetworkGradientTests: XCTestCase {
    static let small = ModelConfiguration.cvae(inputSize: 12, hiddenSize: 8, latentDim: 2, classCount: 3)

    func testVAELossGradientsForEveryParameter() {
        GradientCheck.checkVAELoss(Self.small, latentSizes: [1, 2, 5])
    }

    func testWeightedKLGradientsForEveryParameter() {
        GradientCheck.checkVAELoss(Self.small, klWeights: [0, 0.5, 4], seed: 7)
    }

    /// The class reaches the loss through both networks: the gradient of the one-hot columns is
    /// non-zero exactly for the classes in the batch, and another class gives another loss. A network
    /// that ignored its classes (or read them in the encoder only) fails here.
    func testTheClassesReachBothNetworks() {
        let configuration = ModelConfiguration.cvae(inputSize: 12, hiddenSize: 8, latentDim: 2, classCount: 4)
        let model = VAEModel(configuration: configuration, seed: 5)
        let step = TrainingStep(model: model, batchCapacity: 2, pool: .default)
        var g = SeededGenerator(seed: 9)
        step.input.assign((0 ..< 2 * 12).map { _ in g.nextUniform() })
        step.noise.assign((0 ..< 2 * 2).map { _ in g.nextGaussian() })
        step.setClasses([1, 3])
        let loss = step.forward(sampleNoise: false, using: &g, computeGradients: true).total
        step.backward()
        let parameters = Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0) })
        for (name, firstClassColumn) in [("encoder.hidden.weight", 12), ("decoder.hidden.weight", 2)] {
            let gradient = parameters[name]!.gradient.values
            let width = firstClassColumn + 4
            for y in 0 ..< 4 {
                let column = (0 ..< 8).map { abs(gradient[$0 * width + firstClassColumn + y]) }.reduce(0, +)
                if y == 1 || y == 3 { XCTAssertGreaterThan(column, 0, "\(name): class \(y) is in the batch") }
                else { XCTAssertEqual(column, 0, "\(name): class \(y) is not in the batch") }
            }
        }
        step.setClasses([0, 2])
        XCTAssertNotEqual(step.forward(sampleNoise: false, using: &g).total, loss, accuracy: 1e-6)
    }

    func testPointDecoderMatchesTheTrainingPathForEveryClass() {
        InferenceTests.assertPointDecoderMatchesTheTrainingPath(.cvae(hiddenSize: 40, latentDim: 2, classCount: 5), seed: 2)
        InferenceTests.assertPointDecoderMatchesTheTrainingPath(.cvae(hiddenSize: 24, latentDim: 7, classCount: 26), seed: 3)
    }
}
