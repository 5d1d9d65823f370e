import Foundation
import TestSupport
import XCTest
@testable import FileFormats
@testable import LetterData
@testable import Pictures
@testable import VAE

/// A model's input geometry: written as metadata version 3, inferred for older files and PyTorch's,
/// checked against the data with a message naming both sizes, and drawn at any height and width.
final class ModelGeometryTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    private func loadError(_ path: String) -> String {
        do { _ = try WeightsFile.load(path); return "loaded" } catch { return "\(error)" }
    }

    func testVersion3MetadataRoundTripsTheGeometry() throws {
        let configuration = ModelConfiguration.mlp(inputSize: 12, hiddenSize: 5, latentDim: 2, geometry: ImageGeometry(height: 2, width: 3, channels: 2))
        let model = VAEModel(configuration: configuration, seed: 3)
        let path = temporaryPath("geometry.safetensors")
        try WeightsFile.save(model, metadata: ModelMetadata(configuration: configuration), to: path)
        let strings = ModelMetadata(configuration: configuration).strings
        XCTAssertEqual(strings["format_version"], "3")
        XCTAssertEqual([strings["image_height"], strings["image_width"], strings["image_channels"]], ["2", "3", "2"])
        XCTAssertEqual(try WeightsFile.load(path).model.configuration.geometry, ImageGeometry(height: 2, width: 3, channels: 2))
    }

    func testOlderFilesAndPyTorchFilesGetAnInferredGeometry() throws {
        XCTAssertEqual(ImageGeometry.inferred(inputSize: 784), .letters)
        XCTAssertEqual(ImageGeometry.inferred(inputSize: 1024), ImageGeometry(height: 32, width: 32))
        XCTAssertEqual(ImageGeometry.inferred(inputSize: 785), ImageGeometry(height: 1, width: 785))

        let model = VAEModel(configuration: ModelConfiguration.mlp(inputSize: 784, hiddenSize: 4, latentDim: 2), seed: 1)
        var strings = ModelMetadata(configuration: model.configuration).strings
        strings["format_version"] = "2"
        for key in ["image_height", "image_width", "image_channels"] { strings[key] = nil }
        let path = temporaryPath("v2.safetensors")
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertEqual(try WeightsFile.load(path).model.configuration.geometry, .letters)

        XCTAssertEqual(try WeightsFile.load(Self.fixtures + "/torch-mlp.safetensors").model.configuration.geometry,
                       ImageGeometry(height: 1, width: 12))
        XCTAssertEqual(try WeightsFile.load(Self.fixtures + "/torch-conv.safetensors").model.configuration.geometry,
                       ImageGeometry(height: 8, width: 8))
    }

    func testAGeometryThatDoesNotHoldTheInputSizeIsRefused() throws {
        let model = VAEModel(configuration: ModelConfiguration.mlp(inputSize: 784, hiddenSize: 4, latentDim: 2), seed: 1)
        var strings = ModelMetadata(configuration: model.configuration).strings
        strings["image_height"] = "27"
        let path = temporaryPath("lying.safetensors")
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertTrue(loadError(path).contains("the image geometry 27x28 does not hold the input size 784"), loadError(path))
        strings["image_height"] = "9223372036854775807"   // each side is held to the contract's range first
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertTrue(loadError(path).contains("the image height 9223372036854775807 is outside 1...16384"), loadError(path))
    }

    /// The fixture that overflowed the heap in training is refused before any image is copied.
    func testAModelOfOtherImagesIsRefusedNamingBothSizes() throws {
        let model = try WeightsFile.load(Self.fixtures + "/torch-mlp.safetensors").model
        XCTAssertThrowsError(try model.configuration.checkFits(ImageSet.geometry)) {
            XCTAssertEqual("\($0)", "the model takes 1x12 images (12 values), the data has 28x28 images (784 values)")
        }
        let conv = try WeightsFile.load(Self.fixtures + "/torch-conv.safetensors").model
        XCTAssertThrowsError(try conv.configuration.checkFits(ImageSet.geometry))
        XCTAssertNoThrow(try ModelConfiguration().checkFits(ImageSet.geometry))
    }

    /// Any H x W x C decodes to tiles of that size; channels average; NaN and infinities become shades
    /// instead of traps.
    func testSheetsDrawAnyGeometryAndClampEveryValue() {
        let geometry = ImageGeometry(height: 2, width: 3, channels: 2)
        // Two cells side by side; channel 0 then channel 1 of each.
        let first: [Float] = [0, 1, .nan, 0.5, .infinity, -.infinity] + [0, 1, 0, 0.5, 1, 1]
        let second: [Float] = [Float](repeating: 1, count: 6) + [Float](repeating: 3e38, count: 6)
        let tiles = TilePicture.greyValues(first + second, geometry: geometry)
        XCTAssertEqual(tiles.count, 2 * 2 * 3, "two tiles of 2x3 grey values")
        XCTAssertEqual(Array(tiles[0 ..< 3]), [0, 255, 0])        // NaN + 0 averages to NaN: background
        XCTAssertEqual(Array(tiles[3 ..< 6]), [128, 255, 0])      // +inf + 1 clamps; -inf + 1 is -inf
        XCTAssertEqual(Array(tiles[6 ..< 9]), [255, 255, 255])
        XCTAssertThrowsError(try DecodedSheet.check(cells: 40_000, geometry: ImageGeometry(height: 128, width: 128)))
        XCTAssertNoThrow(try DecodedSheet.check(cells: 400, geometry: ImageGeometry(height: 128, width: 128)))
    }

    func testNonFiniteWeightsAreRefusedAtLoad() throws {
        let model = VAEModel(configuration: ModelConfiguration.mlp(inputSize: 784, hiddenSize: 4, latentDim: 2), seed: 1)
        var tensors = model.tensors()
        tensors["decoder.output.bias"]!.values[3] = .nan
        tensors["decoder.output.bias"]!.values[5] = -.infinity
        let path = temporaryPath("nan.safetensors")
        try AtomicFile.write(SafeTensors.encode(tensors, metadata: ModelMetadata(configuration: model.configuration).strings), to: path)
        XCTAssertEqual(loadError(path), "\(path) holds 2 NaN or infinite values in tensor 'decoder.output.bias'; refusing a model that cannot draw or train")
    }
}
