import XCTest
@testable import VAE

/// The registry: every architecture in `Architectures.all` builds from its declarations alone, its
/// settings are checked against their table, and they survive a weight file's metadata.
final class ArchitecturesTests: XCTestCase {
    private func reason(_ configuration: ModelConfiguration) -> String? {
        do { try configuration.validate(); return nil } catch { return "\(error)" }
    }

    /// Each setting at one above its lowest value: not the default, and small enough to build quickly.
    private func small(_ architecture: any VAEArchitecture.Type) -> ModelConfiguration {
        let settings = Dictionary(uniqueKeysWithValues: architecture.settings.map { setting in
            (setting.key, Array(repeating: setting.range.lowerBound + 1, count: setting.count))
        })
        return ModelConfiguration(architecture, latentDim: 3, settings: settings)
    }

    func testNamesAreUniqueAndFoundAgain() {
        let names = Architectures.all.map { $0.name }
        XCTAssertEqual(Set(names).count, names.count)
        XCTAssertEqual(Architectures.all[0].name, MLPNetwork.name, "the default comes first")
        for architecture in Architectures.all {
            XCTAssertEqual(Architectures.named(architecture.name)?.name, architecture.name)
            XCTAssertFalse(architecture.summary.isEmpty || architecture.summary.contains("\n"))
            XCTAssertEqual(Set(architecture.settings.map(\.key)).count, architecture.settings.count, architecture.name)
        }
    }

    func testAnUnknownArchitectureOrAnotherOnesSettingIsAOneLineError() {
        XCTAssertThrowsError(try Architectures.find("gan")) { error in
            XCTAssertEqual("\(error)", "invalid model: unknown architecture 'gan' (this program knows \(Architectures.names))")
        }
        var strings = ModelMetadata(configuration: ModelConfiguration()).strings
        strings["architecture"] = "gan"
        XCTAssertThrowsError(try ModelMetadata.configuration(from: strings)) { error in
            XCTAssertTrue("\(error)".contains("unknown architecture 'gan'"), "\(error)")
        }
        strings = ModelMetadata(configuration: ModelConfiguration()).strings
        strings[ConvNetwork.channels.key] = "32,64"
        XCTAssertThrowsError(try ModelMetadata.configuration(from: strings)) { error in
            XCTAssertEqual("\(error)", "invalid model: the metadata sets channels '32,64', which the mlp architecture does not have")
        }
    }

    func testSettingsAreCheckedAgainstTheirTable() {
        XCTAssertEqual(reason(.mlp(hiddenSize: 0)), "invalid model: hidden size 0 is outside 1...8192")
        XCTAssertEqual(reason(.conv(channels: [32])), "invalid model: channels needs 2 values, not 32")
        XCTAssertEqual(reason(.conv(channels: [32, 2_000])), "invalid model: channels 2000 is outside 1...1024")
        XCTAssertEqual(reason(ModelConfiguration(MLPNetwork.self, settings: ["channels": [3, 4]])),
                       "invalid model: mlp has no setting 'channels' (its settings: hidden_size)")
        XCTAssertEqual(reason(.conv(inputSize: 36)),
                       "invalid model: the conv VAE needs square images with a side divisible by 4, not 36 pixels")
        for architecture in Architectures.all {
            XCTAssertNil(reason(ModelConfiguration(architecture)), "\(architecture.name)'s defaults")
            for setting in architecture.settings {
                var values = setting.defaultValues
                values[0] = setting.range.upperBound + 1
                let wrong = ModelConfiguration(architecture, settings: [setting.key: values])
                XCTAssertEqual(reason(wrong)?.contains("is outside"), true, "\(architecture.name) \(setting.key)")
            }
        }
    }

    func testEverySettingSurvivesTheMetadata() throws {
        for architecture in Architectures.all {
            let configuration = small(architecture)
            let strings = ModelMetadata(configuration: configuration).strings
            XCTAssertEqual(strings["architecture"], architecture.name)
            for setting in architecture.settings {
                XCTAssertEqual(strings[setting.key], ArchitectureSetting.format(configuration[setting]), setting.key)
            }
            XCTAssertEqual(try ModelMetadata.configuration(from: strings), configuration, architecture.name)
        }
    }

    func testEveryArchitectureBuildsTheShapesOfItsTable() throws {
        for architecture in Architectures.all {
            for configuration in [small(architecture), ModelConfiguration(architecture, latentDim: 2)] {
                XCTAssertNil(reason(configuration))
                let model = VAEModel(configuration: configuration, seed: 1)
                XCTAssertTrue(type(of: model.network) == architecture, "\(configuration)")
                let built = model.parameters.map { "\($0.name) \($0.shape)" }
                let table = VAEModel.parameterShapes(for: configuration).map { "\($0.name) \($0.shape)" }
                XCTAssertEqual(built, table, "\(configuration)")
                // A file without metadata is read back as this configuration; an architecture whose tensors
                // are another's (it infers nothing from shapes) as a configuration with the same tensors.
                let shapes = model.tensors().mapValues(\.shape)
                let inferred = try XCTUnwrap(VAEModel.inferConfiguration(from: shapes))
                if architecture.inferConfiguration(from: shapes) == nil {
                    XCTAssertEqual(VAEModel.parameterShapes(for: inferred).map(\.shape), VAEModel.parameterShapes(for: configuration).map(\.shape),
                                   "\(configuration) is read without metadata as \(inferred), with the same tensors")
                } else {
                    XCTAssertEqual(inferred, configuration, "a file without metadata is read back as \(configuration)")
                }
            }
        }
    }
}
