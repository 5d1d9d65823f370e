import XCTest
@testable import VAE

/// The MLP VAE's loss gradients against central finite differences, for every parameter, at latent
/// sizes 1 (the smallest), 2 (the explorer's plane) and 5, and with the KL term weighted (β ≠ 1).
final class MLPNetworkGradientTests: XCTestCase {
    static let small = ModelConfiguration.mlp(inputSize: 12, hiddenSize: 8, latentDim: 2)

    func testVAELossGradientsForEveryParameter() {
        GradientCheck.checkVAELoss(Self.small, latentSizes: [1, 2, 5])
    }

    /// β scales the KL term's gradient only; 0 drops it, 4 dominates it. A β applied to the wrong term
    /// (or not at all) fails here: the KL gradient is a large part of the encoder's at these sizes.
    func testWeightedKLGradientsForEveryParameter() {
        GradientCheck.checkVAELoss(Self.small, klWeights: [0, 0.5, 4], seed: 7)
    }
}
