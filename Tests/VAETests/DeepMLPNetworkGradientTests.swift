import XCTest
@testable import VAE

/// The deep MLP VAE's loss gradients against central finite differences, for every parameter, at latent
/// sizes 1, 2 and 5, with unequal widths (so a layer wired to the wrong width cannot pass), and with
/// the KL term weighted (β ≠ 1); its point decoder agrees with the training path.
final class DeepMLPNetworkGradientTests: XCTestCase {
    /// Unequal widths, chosen so that no ReLU input of these cases lies within the finite-difference
    /// step of its kink (there the numeric gradient is meaningless: 7, 5 puts one 0.001 from it).
    static let small = ModelConfiguration(DeepMLPNetwork.self, inputSize: 12, latentDim: 2,
                                          settings: [DeepMLPNetwork.hiddenSizes.key: [8, 5]])

    func testVAELossGradientsForEveryParameter() {
        GradientCheck.checkVAELoss(Self.small, latentSizes: [1, 2, 5])
    }

    func testWeightedKLGradientsForEveryParameter() {
        GradientCheck.checkVAELoss(Self.small, klWeights: [0, 0.5, 4], seed: 7)
    }

    func testPointDecoderMatchesTheTrainingPath() {
        InferenceTests.assertPointDecoderMatchesTheTrainingPath(ModelConfiguration(DeepMLPNetwork.self, latentDim: 16), seed: 6)
        InferenceTests.assertPointDecoderMatchesTheTrainingPath(Self.small, seed: 7)
    }
}
