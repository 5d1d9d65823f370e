import Foundation
import XCTest
@testable import FileFormats
import Support
@testable import VAE

/// contract/limits.json is the one statement of the ranges and caps both programs enforce: the copy
/// compiled in is the file's, every constant is taken from it, and validation refuses exactly what it
/// says (each bound accepted, one past it refused). test_contract.py checks the PyTorch package the same way.
final class ContractTests: XCTestCase {
    private static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../contract/limits.json").standardizedFileURL
    private let contract = Contract.shared

    func testTheCompiledInTextIsTheContractFile() throws {
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        XCTAssertEqual(Contract.text, text.trimmingCharacters(in: .newlines),
                       "Sources/VAE/Contract/ContractText.swift is stale: run scripts/sync-contract.py")
    }

    func testEveryConstantComesFromTheContract() {
        XCTAssertEqual(ModelConfiguration.latentDimensions, contract.latentDimensions)
        XCTAssertEqual(ModelConfiguration.maximumInputSize, contract.inputSizes.upperBound)
        XCTAssertEqual(ModelConfiguration.maximumHiddenSize, contract.maximumHiddenSize)
        XCTAssertEqual(ModelConfiguration.maximumParameterCount, contract.maximumParameterCount)
        XCTAssertEqual(VAEObjective.klWeightRange, contract.klWeights)
        XCTAssertEqual(VAEObjective.Likelihood.allCases.map(\.rawValue), contract.likelihoods)
        XCTAssertEqual(ModelMetadata.formatName, contract.formatName)
        XCTAssertEqual(ModelMetadata.formatVersion, contract.formatVersions.upperBound)
        XCTAssertEqual(Evaluation.maximumImportanceSamples, contract.importanceSamples.upperBound)
        XCTAssertEqual(TextSanitizer.messageLimit, contract.messageLimit)
        // Every architecture's settings are declared in the contract: under its own name, or under the
        // architecture whose settings it shares (a variant of the MLP declares the MLP's), and every
        // architecture the contract names is registered with exactly those settings.
        let names = Set(Architectures.all.map { $0.name })
        XCTAssertTrue(Set(contract.settings.keys).isSubset(of: names), "the contract declares an architecture nobody registers")
        for architecture in Architectures.all {
            let keys = Set(architecture.settings.map(\.key))
            if let own = contract.settings[architecture.name] { XCTAssertEqual(Set(own.keys), keys, architecture.name) }
            for setting in architecture.settings {
                XCTAssertTrue(contract.settings.values.contains { declared in
                    declared[setting.key].map { $0.defaultValues == setting.defaultValues && $0.range == setting.range } ?? false
                } && contract.settings.values.contains { Set($0.keys) == keys }, "\(architecture.name) \(setting.key)")
            }
        }
    }

    /// The error a file with `strings` as metadata gets, or nil when it declares a valid configuration.
    private func refusal(_ strings: [String: String]) -> String? {
        do {
            let configuration = try ModelMetadata.configuration(from: strings)
            try configuration.validate()
            return nil
        } catch { return "\(error)" }
    }

    private func metadata(_ configuration: ModelConfiguration, _ edits: [String: String]) -> [String: String] {
        ModelMetadata(configuration: configuration).strings.merging(edits) { _, edit in edit }
    }

    func testValidationRefusesExactlyWhatTheContractSays() {
        let mlp = ModelConfiguration(MLPNetwork.self, inputSize: 16, latentDim: 2, settings: ["hidden_size": [4]])
        func bounds(_ key: String, _ range: ClosedRange<Int>, base: ModelConfiguration = mlp, extra: [String: String] = [:]) {
            XCTAssertNil(refusal(metadata(base, extra.merging([key: String(range.lowerBound)]) { $1 })), "\(key) \(range.lowerBound)")
            XCTAssertNotNil(refusal(metadata(base, extra.merging([key: String(range.lowerBound - 1)]) { $1 })), "\(key) \(range.lowerBound - 1)")
            XCTAssertNotNil(refusal(metadata(base, extra.merging([key: String(range.upperBound + 1)]) { $1 })), "\(key) \(range.upperBound + 1)")
        }
        bounds("format_version", contract.formatVersions)
        XCTAssertNil(refusal(metadata(mlp, ["format_version": String(contract.formatVersions.upperBound)])))
        bounds("latent_dim", contract.latentDimensions)
        XCTAssertNil(refusal(metadata(mlp, ["latent_dim": String(contract.latentDimensions.upperBound)])))
        // Input sizes: one row of n values, so that the geometry holds them.
        for (size, valid) in [(contract.inputSizes.lowerBound, true), (contract.inputSizes.upperBound, true),
                              (contract.inputSizes.upperBound + 1, false), (contract.inputSizes.lowerBound - 1, false)] {
            let edits = ["input_size": String(size), "image_height": "1", "image_width": String(size), "image_channels": "1", "hidden_size": "1"]
            XCTAssertEqual(refusal(metadata(mlp, edits)) == nil, valid, "input size \(size)")
        }
        for (key, range) in [("image_height", contract.geometrySides.height), ("image_channels", contract.geometrySides.channels)] {
            XCTAssertNotNil(refusal(metadata(mlp, [key: String(range.lowerBound - 1)])), key)
            XCTAssertNotNil(refusal(metadata(mlp, [key: String(range.upperBound + 1)])), key)
        }
        for architecture in Architectures.all {
            let base = ModelConfiguration(architecture, inputSize: 64, latentDim: 2,
                                          settings: Dictionary(uniqueKeysWithValues: architecture.settings.map { ($0.key, $0.defaultValues.map { _ in 1 }) }))
            for setting in architecture.settings {
                let range = setting.range   // the contract's: checked above
                let others = Array(repeating: String(range.lowerBound), count: setting.count - 1)
                func values(_ first: Int) -> String { ([String(first)] + others).joined(separator: ",") }
                XCTAssertNil(refusal(metadata(base, [setting.key: values(range.lowerBound)])), "\(architecture.name) \(setting.key)")
                XCTAssertNotNil(refusal(metadata(base, [setting.key: values(range.lowerBound - 1)])))
                XCTAssertNotNil(refusal(metadata(base, [setting.key: values(range.upperBound + 1)])))
                XCTAssertNotNil(refusal(metadata(base, [setting.key: (Array(repeating: "1", count: setting.count + 1)).joined(separator: ",")])),
                                "\(setting.key) with one value too many")
            }
        }
        // The parameter cap: an MLP of 16,384 inputs and hidden width h has 2 * 16,384 * h + ... parameters.
        let wide = ["input_size": "16384", "image_height": "128", "image_width": "128", "image_channels": "1"]
        let fits = contract.maximumParameterCount / (2 * 16_384 + 8)
        XCTAssertNil(refusal(metadata(mlp, wide.merging(["hidden_size": String(fits)]) { $1 })))
        XCTAssertTrue(refusal(metadata(mlp, wide.merging(["hidden_size": String(fits + 2)]) { $1 }))?
            .contains("more than \(contract.maximumParameterCount) parameters") ?? false)
        // β and the likelihoods.
        for (beta, valid) in [(contract.klWeights.lowerBound, true), (contract.klWeights.upperBound, true),
                              (contract.klWeights.upperBound.nextUp, false), (-0.001, false), (.nan, false)] {
            XCTAssertEqual(refusal(metadata(mlp, ["kl_weight": String(beta)])) == nil, valid, "β \(beta)")
        }
        for likelihood in contract.likelihoods { XCTAssertNil(refusal(metadata(mlp, ["likelihood": likelihood]))) }
        XCTAssertNotNil(refusal(metadata(mlp, ["likelihood": "gaussian"])))
    }
}
