import Foundation
import XCTest
@testable import VAE

/// The files `latent-explorer-torch fixture Tests/VAETests/Fixtures` writes (python/latent_explorer_torch/
/// fixtures.py), which `PyTorchInteropTests` and `PyTorchEquivalenceTests` read.
enum PyTorchFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The path of `torch-<prefix><architecture>.safetensors` for every registered architecture that has
    /// one; a failure naming each that has none (its twin is missing from the registry the fixture
    /// script loops over, or the script was not run).
    static func everyArchitecture(prefix: String, file: StaticString = #filePath, line: UInt = #line) -> [(name: String, path: String)] {
        Architectures.all.compactMap { architecture in
            let path = folder.appendingPathComponent("torch-\(prefix)\(architecture.name).safetensors").path
            guard FileManager.default.fileExists(atPath: path) else {
                XCTFail("\(architecture.name) has no PyTorch fixture torch-\(prefix)\(architecture.name).safetensors: add its twin to "
                        + "python/latent_explorer_torch/models.py and run `latent-explorer-torch fixture Tests/VAETests/Fixtures`",
                        file: file, line: line)
                return nil
            }
            return (architecture.name, path)
        }
    }
}
