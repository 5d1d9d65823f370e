import Foundation
import TestSupport
import XCTest
@testable import FileFormats
@testable import VAE

/// Models from elsewhere: pytorch/examples' VAE layout (fc1...fc4) opens as our MLP with its sizes
/// read from the shapes; PyTorch and Keras files that are not safetensors are named, with the command
/// that converts them.
final class ForeignWeightsTests: XCTestCase {
    private func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = temporaryPath(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Our MLP's tensors under pytorch/examples' names, without metadata, as `save_file(model.state_dict())` writes them.
    private func examplesFile(_ model: VAEModel) throws -> String {
        let ours = model.tensors()
        var theirs: [String: Tensor] = [:]
        for (their, our) in PyTorchExamplesLayout.tensorNames { theirs[their] = ours[our] }
        return try write(SafeTensors.encode(theirs, metadata: [:]), "vae_examples.safetensors")
    }

    func testPyTorchExamplesLayoutOpensAsAnMLPOfAnySize() throws {
        for (hidden, latent) in [(400, 20), (24, 2), (7, 5)] {
            let configuration = ModelConfiguration.mlp(hiddenSize: hidden, latentDim: latent)
            let model = VAEModel(configuration: configuration, seed: UInt64(hidden))
            let (loaded, metadata) = try WeightsFile.load(try examplesFile(model))
            XCTAssertEqual(loaded.configuration, configuration)
            XCTAssertEqual(loaded.tensors(), model.tensors())
            XCTAssertEqual(metadata.layoutNote, "pytorch/examples VAE layout (fc1, fc21, fc22, fc3, fc4) read as \(configuration.description)")
            let point = (0 ..< latent).map { Float($0) * 0.3 - 0.5 }
            XCTAssertEqual(Inference(model: loaded).decode(point), Inference(model: model).decode(point))
        }
    }

    func testOurOwnFilesHaveNoLayoutNote() throws {
        let model = VAEModel(configuration: .mlp(hiddenSize: 8, latentDim: 2), seed: 1)
        let path = temporaryPath("ours.safetensors")
        try WeightsFile.save(model, metadata: ModelMetadata(configuration: model.configuration), to: path)
        XCTAssertNil(try WeightsFile.load(path).metadata.layoutNote)
    }

    /// One of the ten tensors missing, or one more: not the layout, refused as an unknown architecture.
    func testAlmostTheLayoutIsRefused() throws {
        let tensors = VAEModel(configuration: .mlp(hiddenSize: 8, latentDim: 2), seed: 1).tensors()
        var theirs: [String: Tensor] = [:]
        for (their, our) in PyTorchExamplesLayout.tensorNames where their != "fc22.bias" { theirs[their] = tensors[our] }
        let path = try write(SafeTensors.encode(theirs, metadata: [:]), "partial.safetensors")
        XCTAssertThrowsError(try WeightsFile.load(path)) { error in
            XCTAssertTrue("\(error)".contains("not a known architecture"), "\(error)")
        }
    }

    func testPyTorchAndKerasFilesNameTheConvertCommand() throws {
        let cases: [(String, [UInt8], String)] = [
            ("model.pt", [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 60), "a PyTorch checkpoint (torch.save's zip archive)"),
            ("old.pth", [0x80, 0x02, 0x8A, 0x0A] + [UInt8](repeating: 0, count: 60), "a PyTorch checkpoint (a pickle, as older torch.save wrote)"),
            ("vae.h5", [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 60), "an HDF5 file (a Keras .h5 model)"),
        ]
        for (name, bytes, kind) in cases {
            let path = try write(bytes, name)
            let stem = String(path.dropLast(name.hasSuffix(".h5") ? 3 : name.hasSuffix(".pth") ? 4 : 3))
            XCTAssertThrowsError(try WeightsFile.load(path)) { error in
                XCTAssertEqual(error as? WeightsError, .notSafeTensors(
                    path: path, reason: "it is \(kind); convert it with: latent-explorer-torch convert \(path) --out \(stem).safetensors"))
            }
        }
    }
}
