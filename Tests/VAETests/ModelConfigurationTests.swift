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

    /// Each architecture's typed settings (`VAEArchitecture.Settings`) read the metadata's key/values
    /// form and give it back: at the defaults and at other values, for every registered architecture.
    func testTypedSettingsRoundTripThroughTheMetadataForm() {
        func rebuilt<A: VAEArchitecture>(_ architecture: A.Type, _ c: ModelConfiguration) -> ModelConfiguration {
            ModelConfiguration(architecture, inputSize: c.inputSize, latentDim: c.latentDim, settings: A.settings(of: c), geometry: c.geometry)
        }
        for architecture in Architectures.all {
            let odd = Dictionary(uniqueKeysWithValues: architecture.settings.map { s in (s.key, (0 ..< s.count).map { s.range.lowerBound + 2 + $0 }) })
            for configuration in [ModelConfiguration(architecture), ModelConfiguration(architecture, inputSize: 64, latentDim: 3, settings: odd)] {
                XCTAssertEqual(rebuilt(architecture, configuration), configuration, architecture.name)
            }
        }
        XCTAssertEqual(ConvNetwork.settings(of: .conv(hiddenSize: 7, channels: [3, 4])), .init(hiddenSize: 7, channels: SizePair(3, 4)))
        XCTAssertEqual(DeepMLPNetwork.settings(of: ModelConfiguration(DeepMLPNetwork.self)).hiddenSizes, SizePair(512, 256))
        XCTAssertEqual(CVAENetwork.settings(of: .cvae(hiddenSize: 9, classCount: 4)), .init(hiddenSize: 9, classCount: 4))
        XCTAssertEqual(MLPNetwork.settings(of: .mlp(hiddenSize: 33)).hiddenSize, 33)
    }
}
