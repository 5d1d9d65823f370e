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
        XCTAssertNotNil(reason(ModelConfiguration(hiddenSize: 0)))
        XCTAssertNotNil(reason(ModelConfiguration(inputSize: -1)))
    }

    func testDefaultsAndDescriptionFollowTheReference() {
        let mlp = ModelConfiguration(latentDim: 16)
        XCTAssertEqual(mlp.hiddenSize, 512)
        XCTAssertEqual(mlp.description, "mlp 784-512-16-512-784")
        XCTAssertEqual(mlp.imageSide, 28)
    }
}
