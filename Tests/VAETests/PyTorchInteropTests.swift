import Foundation
import TestSupport
import XCTest
@testable import FileFormats
@testable import VAE

/// Files written by PyTorch itself (`latent-explorer-torch fixture`: `save_file(model.state_dict())` of
/// the PyTorch modules with our module names, no LatentExplorer metadata) open here, and give PyTorch's
/// own outputs, stored in the files' metadata: encoder means and log-variances for fixed images, and
/// decoded pixels for fixed latent points. This pins the tensor layouts PyTorch uses (`Linear` [out, in],
/// `Conv2d` [out, in, kh, kw], `ConvTranspose2d` [in, out, kh, kw]) and NCHW flattening.
final class PyTorchInteropTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    private func floats(_ metadata: [String: String], _ key: String) throws -> [Float] {
        let text = try XCTUnwrap(metadata[key], "fixture has no \(key)")
        let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Double])
        return list.map(Float.init)
    }

    private func checkAgainstPyTorch(_ name: String, expected: ModelConfiguration) throws {
        let path = Self.fixtures.appendingPathComponent("torch-\(name).safetensors").path
        let (model, _) = try WeightsFile.load(path)
        XCTAssertEqual(model.configuration, expected, "configuration read from the tensor shapes")
        let metadata = try SafeTensors.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))).metadata
        let (n, l) = (expected.inputSize, expected.latentDim)

        // A conditional model's images and points come with their classes (fixture_classes, fixture_z_classes).
        func classes(_ key: String) throws -> [Int32]? {
            expected.isConditional ? try floats(metadata, key).map { Int32($0) } : nil
        }
        let x = try floats(metadata, "fixture_x")
        let step = TrainingStep(model: model, batchCapacity: x.count / n, pool: .default)
        step.input.rows = x.count / n
        step.input.assign(x)
        if let imageClasses = try classes("fixture_classes") { step.setClasses(imageClasses) }
        step.encodeMeans()
        for (ours, theirs) in zip(step.mean.values, try floats(metadata, "fixture_mean")) { XCTAssertEqual(ours, theirs, accuracy: 1e-5) }
        for (ours, theirs) in zip(step.logVariance.values, try floats(metadata, "fixture_logvar")) { XCTAssertEqual(ours, theirs, accuracy: 1e-5) }

        let z = try floats(metadata, "fixture_z")
        XCTAssertEqual(z.count % l, 0)
        let pixels = Inference(model: model).decodeBatch(z, classes: try classes("fixture_z_classes"))
        let expectedPixels = try floats(metadata, "fixture_pixels")
        XCTAssertEqual(pixels.count, expectedPixels.count)
        for (ours, theirs) in zip(pixels, expectedPixels) { XCTAssertEqual(ours, theirs, accuracy: 1e-5) }
    }

    func testAConvVAESavedByPyTorchGivesPyTorchsOutputs() throws {
        try checkAgainstPyTorch("conv", expected: ModelConfiguration.conv(inputSize: 64, hiddenSize: 5, latentDim: 2, channels: [2, 3]))
    }

    func testAnMLPVAESavedByPyTorchGivesPyTorchsOutputs() throws {
        try checkAgainstPyTorch("mlp", expected: ModelConfiguration.mlp(inputSize: 12, hiddenSize: 6, latentDim: 3))
    }

    func testACVAESavedByPyTorchGivesPyTorchsOutputsForEachClass() throws {
        try checkAgainstPyTorch("cvae", expected: ModelConfiguration.cvae(inputSize: 12, hiddenSize: 6, latentDim: 3, classCount: 4))
    }

    /// Every registered architecture has a file PyTorch saved (`fixtures.write_registered`), which opens
    /// as that architecture and gives PyTorch's outputs.
    func testEveryRegisteredArchitectureSavedByPyTorchGivesPyTorchsOutputs() throws {
        for (name, path) in PyTorchFixtures.everyArchitecture(prefix: "") {
            let configuration = try WeightsFile.load(path).model.configuration
            XCTAssertEqual(configuration.kind, name)
            try checkAgainstPyTorch(name, expected: configuration)
        }
    }

    /// `model.half()`, `model.bfloat16()` and `model.double()` files PyTorch saved open here, converted to
    /// F32 at load: the weights are the F32 file's within the dtype's precision, and the outputs are
    /// PyTorch's outputs of the rounded weights.
    func testFilesPyTorchSavesInF16BF16AndF64GivePyTorchsOutputs() throws {
        let configurations = ["conv": ModelConfiguration.conv(inputSize: 64, hiddenSize: 5, latentDim: 2, channels: [2, 3]),
                              "mlp": ModelConfiguration.mlp(inputSize: 12, hiddenSize: 6, latentDim: 3)]
        // Relative rounding of each dtype: 11 and 8 significant bits; F64 from F32 weights is exact.
        let precision: [String: Float] = ["f16": 1.0 / 2048, "bf16": 1.0 / 256, "f64": 0]
        for (name, configuration) in configurations.sorted(by: { $0.key < $1.key }) {
            let reference = try WeightsFile.load(Self.fixtures.appendingPathComponent("torch-\(name).safetensors").path).model.tensors()
            for (suffix, relative) in precision.sorted(by: { $0.key < $1.key }) {
                try checkAgainstPyTorch("\(name)-\(suffix)", expected: configuration)
                let converted = try WeightsFile.load(Self.fixtures.appendingPathComponent("torch-\(name)-\(suffix).safetensors").path).model.tensors()
                XCTAssertEqual(Set(converted.keys), Set(reference.keys))
                for (tensor, values) in reference {
                    for (ours, exact) in zip(converted[tensor]!.values, values.values) {
                        XCTAssertEqual(ours, exact, accuracy: abs(exact) * relative + 1e-7, "\(name)-\(suffix) \(tensor)")
                    }
                }
            }
        }
    }

    /// Ours, saved and read back, keeps PyTorch's names and shapes exactly (what `load_state_dict` checks).
    func testOurFilesUseTheLayoutPyTorchWrote() throws {
        let path = Self.fixtures.appendingPathComponent("torch-conv.safetensors").path
        let theirs = try SafeTensors.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))).tensors
        let (model, _) = try WeightsFile.load(path)
        let ours = temporaryPath("ours.safetensors")
        try WeightsFile.save(model, metadata: ModelMetadata(configuration: model.configuration), to: ours)
        let written = try SafeTensors.decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: ours)))).tensors
        XCTAssertEqual(written, theirs)
    }
}
