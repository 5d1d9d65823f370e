import XCTest
@testable import VAE

/// The conv VAE's loss gradients against central finite differences, for every parameter, on a small
/// instance of the same network (8x8 images, 2 and 3 channels, 5 hidden units), with β = 1 and β ≠ 1.
final class ConvNetworkGradientTests: XCTestCase {
    static let small = ModelConfiguration.conv(inputSize: 64, hiddenSize: 5, latentDim: 2, channels: [2, 3])

    func testVAELossGradientsForEveryParameter() {
        GradientCheck.checkVAELoss(Self.small)
        var oneDimensional = Self.small
        oneDimensional.latentDim = 1
        GradientCheck.checkVAELoss(oneDimensional, seed: 4)
    }

    /// β ≠ 1 weighs the KL term's gradient through the conv encoder too.
    func testWeightedKLGradientsForEveryParameter() {
        GradientCheck.checkVAELoss(Self.small, klWeights: [0.25, 3], seed: 9)
    }

    func testPointDecoderMatchesTheTrainingPath() {
        InferenceTests.assertPointDecoderMatchesTheTrainingPath(Self.small, seed: 5)
        InferenceTests.assertPointDecoderMatchesTheTrainingPath(ModelConfiguration.conv(latentDim: 16), seed: 6)
    }

    /// The reference's sizes: 28x28 images, 32 and 64 channels, 128 hidden units.
    func testTheDefaultConvNetworkHasTheReferenceShapes() {
        let model = VAEModel(configuration: ModelConfiguration.conv(latentDim: 2))
        let shapes = model.tensors().mapValues(\.shape)
        XCTAssertEqual(shapes["encoder.conv1.weight"], [32, 1, 3, 3])
        XCTAssertEqual(shapes["encoder.conv2.weight"], [64, 32, 3, 3])
        XCTAssertEqual(shapes["encoder.hidden.weight"], [128, 3136])
        XCTAssertEqual(shapes["encoder.mean.weight"], [2, 128])
        XCTAssertEqual(shapes["decoder.expand.weight"], [3136, 128])
        XCTAssertEqual(shapes["decoder.deconv1.weight"], [64, 32, 3, 3], "ConvTranspose2d is [in, out, kh, kw]")
        XCTAssertEqual(shapes["decoder.deconv2.weight"], [32, 1, 3, 3])
        XCTAssertEqual(shapes.count, 18)
        // PyTorch's parameter count for vae_torch.Conv(z=2).
        XCTAssertEqual(model.parameterCount, 320 + 18_496 + 401_536 + 2 * 258 + 384 + 404_544 + 18_464 + 289)
    }
}
