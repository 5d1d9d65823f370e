import Foundation
import XCTest
@testable import VAE

/// The registry's side of the gradient rule: every architecture in `Architectures.all` has its own
/// finite-difference suite, `<TypeName>GradientTests.swift` beside this file (`GradientCheck.checkVAELoss`
/// at several latent sizes and β, on a size and seed chosen so that no ReLU sits at its kink). An
/// architecture registered without one fails here. The small configuration the registry-wide tests
/// share (`InferenceTests`' point decoders) is declared here too.
final class ArchitectureGradientTests: XCTestCase {
    /// A width, channel count or class count small enough for quick checks, and more than one so that
    /// the layers mix their inputs.
    static let smallValue = 5
    /// 8x8 images: square, with a side divisible by 4 (the conv VAE's two stride-2 convolutions).
    static let smallInputSize = 64

    /// `architecture` with every setting at `smallValue` (within its range) on 8x8 images.
    static func small(_ architecture: any VAEArchitecture.Type) -> ModelConfiguration {
        let settings = Dictionary(uniqueKeysWithValues: architecture.settings.map { setting in
            (setting.key, Array(repeating: min(setting.range.upperBound, max(setting.range.lowerBound, smallValue)), count: setting.count))
        })
        return ModelConfiguration(architecture, inputSize: smallInputSize, latentDim: 2, settings: settings)
    }

    func testEveryArchitectureHasItsGradientSuite() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for architecture in Architectures.all {
            XCTAssertNoThrow(try Self.small(architecture).validate(), architecture.name)
            let suite = "\(architecture)GradientTests"
            let source = folder.appendingPathComponent("\(suite).swift")
            let text = (try? String(contentsOf: source, encoding: .utf8)) ?? ""
            XCTAssertTrue(text.contains("final class \(suite): XCTestCase") && text.contains("GradientCheck.checkVAELoss"),
                          "\(architecture.name) has no finite-difference suite \(source.lastPathComponent) (see MLPNetworkGradientTests.swift)")
        }
    }
}
