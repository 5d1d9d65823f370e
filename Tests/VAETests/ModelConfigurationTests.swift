import XCTest
@testable import VAE

final class ModelConfigurationTests: XCTestCase {
    private func reason(_ configuration: ModelConfiguration) -> String? {
        do { try configuration.validate(); return nil } catch { return "\(error)" }
    }

    func testEveryLatentSizeFromOneToSixtyFourIsValidAndOthersAreNot() {
        for latentDim in ModelConfiguration.latentDimensions {
            XCTAssertNil(reason(ModelConfiguration(latentDim: latentDim)), "latent \(latentDim)")
        }
        XCTAssertEqual(reason(ModelConfiguration(latentDim: 0)), "invalid model: latent size 0 is outside 1...64")
        XCTAssertEqual(reason(ModelConfiguration(latentDim: 65)), "invalid model: latent size 65 is outside 1...64")
        XCTAssertNotNil(reason(ModelConfiguration.mlp(hiddenSize: 0)))
        XCTAssertNotNil(reason(ModelConfiguration(inputSize: -1)))
    }

    func testDefaultsAndDescriptionFollowTheReference() {
        let mlp = ModelConfiguration(latentDim: 16)
        XCTAssertEqual(mlp[MLPNetwork.hiddenSize], [512])
        XCTAssertEqual(mlp.description, "mlp 784-512-16-512-784")
        XCTAssertEqual(mlp.imageSide, 28)
    }

    /// The shapes a weight file is checked against before a model is built are the built model's own.
    func testParameterShapesAreThoseOfTheBuiltNetwork() {
        let configurations = [ModelConfiguration(latentDim: 3), ModelConfiguration.mlp(inputSize: 12, hiddenSize: 5, latentDim: 1),
                              ModelConfiguration.conv(latentDim: 16),
                              ModelConfiguration.conv(inputSize: 144, hiddenSize: 7, latentDim: 2, channels: [3, 5])]
        for configuration in configurations {
            let built = VAEModel(configuration: configuration).parameters.map { "\($0.name) \($0.shape)" }
            let worked = VAEModel.parameterShapes(for: configuration).map { "\($0.name) \($0.shape)" }
            XCTAssertEqual(worked, built, "\(configuration)")
        }
    }
}
