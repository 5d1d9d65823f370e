import XCTest
@testable import VAE

/// The MLP VAE's loss gradients against central finite differences, for every parameter, at latent
/// sizes 1 (the smallest), 2 (the explorer's plane) and 5, and with the KL term weighted (β ≠ 1).
final class MLPNetworkGradientTests: XCTestCase {
    static let small = ModelConfiguration.mlp(inputSize: 12, hiddenSize: 8, latentDim: 2)

    func testVAELossGradientsForEveryParameter() {
        for latentDim in [1, 2, 5] {
            var configuration = Self.small
            configuration.latentDim = latentDim
            GradientCheck.checkVAELoss(configuration)
        }
    }

    /// β scales the KL term's gradient only; 0 drops it, 4 dominates it. A β applied to the wrong term
    /// (or not at all) fails here: the KL gradient is a large part of the encoder's at these sizes.
    func testWeightedKLGradientsForEveryParameter() {
        for beta in [0, 0.5, 4] {
            GradientCheck.checkVAELoss(Self.small, objective: VAEObjective(klWeight: beta), seed: 7)
        }
    }
}
