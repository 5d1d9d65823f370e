import XCTest
@testable import VAE

/// The MLP VAE's loss gradients against central finite differences, for every parameter, at latent
/// sizes 1 (the smallest), 2 (the explorer's plane) and 5.
final class MLPNetworkGradientTests: XCTestCase {
    func testVAELossGradientsForEveryParameter() {
        for latentDim in [1, 2, 5] {
            GradientCheck.checkVAELoss(ModelConfiguration(kind: .mlp, inputSize: 12, hiddenSize: 8, latentDim: latentDim))
        }
    }
}
