import XCTest
@testable import VAE

/// The LeakyReLU MLP's loss gradients against central finite differences, for every parameter, at
/// latent sizes 1, 2 and 5 and with β ≠ 1: the negative side's slope reaches every weight.
final class LeakyMLPNetworkGradientTests: XCTestCase {
    static let small = ModelConfiguration(LeakyMLPNetwork.self, inputSize: 12, latentDim: 2, settings: [MLPNetwork.hiddenSize.key: [8]])

    func testVAELossGradientsForEveryParameter() {
        GradientCheck.checkVAELoss(Self.small, latentSizes: [1, 2, 5])
    }

    func testWeightedKLGradientsForEveryParameter() {
        GradientCheck.checkVAELoss(Self.small, klWeights: [0, 0.5, 4], seed: 7)
    }
}
