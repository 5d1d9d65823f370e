import Foundation
import TestSupport
import XCTest
@testable import FileFormats
import Support
@testable import VAE

/// Weight files: the model and its metadata round-trip, the configuration in the metadata is read back
/// and checked against the tensors, older and foreign files open, and mismatches get clear reasons.
final class WeightsFileTests: XCTestCase {
    private let small = ModelConfiguration.mlp(hiddenSize: 16, latentDim: 3)

    private func loadError(_ path: String) -> String {
        do { _ = try WeightsFile.load(path); return "loaded" } catch { return "\(error)" }
    }

    func testRoundTripKeepsModelAndMetadata() throws {
        let model = VAEModel(configuration: small, seed: 5)
        let metadata = ModelMetadata(configuration: small, dataset: "fashion-mnist",
                                     classes: ["T-shirt/top", "Trouser"], epochs: 7,
                                     selection: .bestValidation(on: "10% of each class of the training split, seed 0"),
                                     validationLoss: LossParts(reconstruction: 250.5, kl: 6.25),
                                     testLoss: LossParts(reconstruction: 251.5, kl: 6.5), trainedAt: "2026-11-25T00:00:00Z",
                                     objective: VAEObjective(klWeight: 0.5),
                                     dataNote: "trained on a test split outside its held-out quarter",
                                     classFilter: "TB",
                                     learningRateSchedule: "0.001, x0.5 after 3 epochs without a better validation loss; cut after epochs 9")
        XCTAssertEqual(metadata.strings["class_filter"], "TB")
        XCTAssertNil(ModelMetadata(configuration: small).strings["class_filter"], "absent when every class was used")
        XCTAssertNil(ModelMetadata(configuration: small).strings["learning_rate_schedule"], "absent for a constant rate")
        let path = temporaryPath("m.safetensors")
        try WeightsFile.save(model, metadata: metadata, to: path)
        let (loaded, loadedMetadata) = try WeightsFile.load(path)
        XCTAssertEqual(loaded.configuration, small)
        XCTAssertEqual(loaded.tensors(), model.tensors())
        XCTAssertEqual(loadedMetadata, metadata)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        XCTAssertEqual(leftovers, ["m.safetensors"], "no temporary file left behind")
    }

    func testEveryLatentSizeRoundTrips() throws {
        for latentDim in [1, 16, 64] {
            let configuration = ModelConfiguration.mlp(hiddenSize: 8, latentDim: latentDim)
            let model = VAEModel(configuration: configuration, seed: UInt64(latentDim))
            let path = temporaryPath("z\(latentDim).safetensors")
            try WeightsFile.save(model, metadata: ModelMetadata(configuration: configuration), to: path)
            let loaded = try WeightsFile.load(path).model
            XCTAssertEqual(loaded.configuration, configuration)
            XCTAssertEqual(loaded.tensors(), model.tensors())
        }
    }

    func testConvModelsRoundTripWithAndWithoutMetadata() throws {
        let configuration = ModelConfiguration.conv(inputSize: 144, hiddenSize: 7, latentDim: 3, channels: [4, 5])
        let model = VAEModel(configuration: configuration, seed: 9)
        let path = temporaryPath("conv.safetensors")
        try WeightsFile.save(model, metadata: ModelMetadata(configuration: configuration, dataset: "d"), to: path)
        let loaded = try WeightsFile.load(path)
        XCTAssertEqual(loaded.model.configuration, configuration)
        XCTAssertEqual(loaded.model.tensors(), model.tensors())
        XCTAssertEqual(loaded.metadata.dataset, "d")
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: [:]), to: path)
        XCTAssertEqual(try WeightsFile.load(path).model.configuration, configuration, "read from the shapes alone")
    }

    /// The metadata's configuration is checked against the tensors: a file whose metadata says one thing
    /// and whose tensors say another is refused, naming both.
    func testMetadataThatDisagreesWithTheTensorsIsRefused() throws {
        let model = VAEModel(configuration: small, seed: 1)
        var strings = ModelMetadata(configuration: small).strings
        strings["latent_dim"] = "4"
        let path = temporaryPath("lying.safetensors")
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        let message = loadError(path)
        XCTAssertTrue(message.contains("metadata describes mlp 784-16-4-16-784"), message)
        XCTAssertTrue(message.contains("encoder.mean.weight") && message.contains("[3, 16]"), message)
    }

    /// A small file whose metadata asks for an enormous model is refused before the model is built.
    func testMetadataAskingForAHugeModelIsRefusedWithoutAllocatingIt() throws {
        let model = VAEModel(configuration: small, seed: 1)
        var strings = ModelMetadata(configuration: small).strings
        strings["hidden_size"] = "512"
        strings["input_size"] = "16384"
        (strings["image_height"], strings["image_width"]) = ("128", "128")
        let path = temporaryPath("huge.safetensors")
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertTrue(loadError(path).contains("tensor 'encoder.hidden.weight' has shape [16, 784], expected [512, 16384]"), loadError(path))
        strings["hidden_size"] = "8192"   // 268 M parameters: over the cap
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertTrue(loadError(path).contains("has more than \(ModelConfiguration.maximumParameterCount) parameters"), loadError(path))
        strings["hidden_size"] = "100000"
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertTrue(loadError(path).contains("hidden size 100000 is outside 1...8192"), loadError(path))
    }

    /// A deep-mlp file whose hidden_sizes holds one or three values used to trap while its error message
    /// described the model (before it was validated).
    func testSettingsWithTheWrongNumberOfValuesAreRefusedBeforeTheModelIsDescribed() throws {
        let configuration = ModelConfiguration(DeepMLPNetwork.self, inputSize: 784, latentDim: 2,
                                               settings: [DeepMLPNetwork.hiddenSizes.key: [16, 8]])
        let model = VAEModel(configuration: configuration, seed: 1)
        let path = temporaryPath("deep.safetensors")
        var strings = ModelMetadata(configuration: configuration).strings
        for (values, shown) in [("32", "32"), ("32,16,8", "32,16,8"), ("", nil)] {
            strings["hidden_sizes"] = values
            try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
            let error = loadError(path)
            if let shown {
                XCTAssertTrue(error.contains("its metadata describes an invalid model: hidden sizes needs 2 values, not \(shown)"), error)
            } else {
                XCTAssertTrue(error.contains("hidden_sizes '' is not a list of numbers"), error)
            }
        }
        // 10,000 values: the line stays short and says how many were left out.
        strings["hidden_sizes"] = Array(repeating: "7", count: 10_000).joined(separator: ",")
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        let error = loadError(path)
        XCTAssertLessThan(error.count, 2 * TextSanitizer.messageLimit, error)
        XCTAssertTrue(error.contains("more"), error)
        // A configuration with too few values describes itself by its kind alone instead of trapping.
        let unvalidated = ModelConfiguration(DeepMLPNetwork.self, inputSize: 784, latentDim: 2, settings: [DeepMLPNetwork.hiddenSizes.key: [5]])
        XCTAssertEqual(unvalidated.description, "deep-mlp")
        XCTAssertThrowsError(try unvalidated.validate())
    }

    func testFormatVersionsBelowOneAreNotVersions() throws {
        let model = VAEModel(configuration: small, seed: 1)
        let path = temporaryPath("old.safetensors")
        var strings = ModelMetadata(configuration: small).strings
        for version in ["0", "-1", "-9223372036854775808"] {
            strings["format_version"] = version
            try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
            let error = loadError(path)
            XCTAssertTrue(error.contains("format version \(version) is not a version (versions start at 1)"), error)
            XCTAssertFalse(error.contains("newer"), error)
        }
    }

    func testNewerFormatVersionsAndUnknownArchitecturesAreRefusedClearly() throws {
        let model = VAEModel(configuration: small, seed: 1)
        let path = temporaryPath("future.safetensors")
        var strings = ModelMetadata(configuration: small).strings
        strings["format_version"] = "4"
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertTrue(loadError(path).contains("format version 4 is newer than this program reads (up to 3)"), loadError(path))

        // Version 3 (e.g. latent-explorer-torch's files) opens; its new keys are ignored.
        strings["format_version"] = "3"
        strings["kl_weight"] = "1"
        strings["trained_with"] = "latent-explorer-torch 0.1 (torch 2.13.0+cpu, 2 processes, gloo)"
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertEqual(try WeightsFile.load(path).model.configuration, small)

        strings = ModelMetadata(configuration: small).strings
        strings["architecture"] = "transformer"
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertTrue(loadError(path).contains("unknown architecture 'transformer' (this program knows \(Architectures.names))"), loadError(path))

        strings = ModelMetadata(configuration: small).strings
        strings["latent_dim"] = "65"
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertTrue(loadError(path).contains("latent size 65 is outside 1...64"), loadError(path))

        strings["latent_dim"] = "three"
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertTrue(loadError(path).contains("latent_dim is missing or not a whole number"), loadError(path))
    }

    /// The objective's keys: β as a plain decimal ("1" by default), the likelihood by name; a β out of
    /// range or not a number, or an unknown likelihood, is refused in one line; absent keys (version 2
    /// files) read as β = 1, Bernoulli.
    func testObjectiveKeysAreWrittenReadAndChecked() throws {
        let model = VAEModel(configuration: small, seed: 1)
        let path = temporaryPath("beta.safetensors")
        var strings = ModelMetadata(configuration: small).strings
        XCTAssertEqual(strings["kl_weight"], "1")
        XCTAssertEqual(strings["likelihood"], "bernoulli")
        XCTAssertNil(strings["data_note"])
        XCTAssertEqual(ModelMetadata(configuration: small, objective: VAEObjective(klWeight: 0.125)).strings["kl_weight"], "0.125")

        for (key, value, reason) in [("kl_weight", "-1", "β must be between 0 and 1000, not -1"),
                                     ("kl_weight", "four", "kl_weight 'four' is not a number"),
                                     ("kl_weight", "nan", "kl_weight 'nan' is not a number"),
                                     ("likelihood", "gaussian", "unknown likelihood 'gaussian' (this program knows bernoulli)")] {
            strings = ModelMetadata(configuration: small).strings
            strings[key] = value
            try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
            XCTAssertTrue(loadError(path).contains(reason), "\(key)=\(value): \(loadError(path))")
        }
        strings = ModelMetadata(configuration: small).strings
        strings["format_version"] = "2"
        strings["kl_weight"] = nil
        strings["likelihood"] = nil
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertEqual(try WeightsFile.load(path).metadata.objective, .elbo)
    }

    /// Version 1 files (the first pretrained weights) chose their epoch on the test split and stored that
    /// loss as `test_*`; they still open, as an MLP, with that loss as the test loss.
    func testVersionOneFilesStillOpen() throws {
        let model = VAEModel(configuration: small, seed: 2)
        let strings = ["format": "latent-explorer-vae", "format_version": "1", "architecture": "mlp",
                       "input_size": "784", "hidden_size": "16", "latent_dim": "3", "dataset": "synthetic-letters",
                       "classes": "[\"a\",\"b\"]", "epochs": "53", "test_neg_elbo": "151.1200",
                       "test_reconstruction": "144.1900", "test_kl": "6.9300"]
        let path = temporaryPath("v1.safetensors")
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        let (loaded, metadata) = try WeightsFile.load(path)
        XCTAssertEqual(loaded.tensors(), model.tensors())
        XCTAssertEqual(metadata.epochs, 53)
        XCTAssertEqual(metadata.selection, .unknown)
        XCTAssertNil(metadata.validationLoss)
        XCTAssertEqual(metadata.testLoss?.total ?? 0, 151.12, accuracy: 1e-9)
    }

    /// A file saved from PyTorch (`safetensors.torch.save_file(model.state_dict())`) has no metadata:
    /// the configuration comes from the tensor names and shapes.
    func testFilesWithoutMetadataAreReadFromTheirShapes() throws {
        let model = VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 24, latentDim: 5), seed: 3)
        let path = temporaryPath("torch.safetensors")
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: [:]), to: path)
        let loaded = try WeightsFile.load(path)
        XCTAssertEqual(loaded.model.configuration, model.configuration)
        XCTAssertEqual(loaded.model.tensors(), model.tensors())
        XCTAssertEqual(loaded.metadata.dataset, "unknown")
    }

    func testLoadingRejectsMissingAndIncompatibleFiles() throws {
        XCTAssertThrowsError(try WeightsFile.load("/nonexistent/w.safetensors")) {
            XCTAssertEqual($0 as? WeightsError, .missingFile("/nonexistent/w.safetensors"))
        }
        let path = temporaryPath("other.safetensors")
        try AtomicFile.write(SafeTensors.encode(["foo": Tensor(shape: [1], values: [0])], metadata: [:]), to: path)
        XCTAssertTrue(loadError(path).contains("not a known architecture"), loadError(path))

        // Right names, one wrong shape.
        var tensors = VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 8)).tensors()
        tensors["decoder.output.bias"] = Tensor(shape: [5], values: [0, 0, 0, 0, 0])
        try AtomicFile.write(SafeTensors.encode(tensors, metadata: [:]), to: path)
        XCTAssertTrue(loadError(path).contains("decoder.output.bias"), loadError(path))

        // A tensor the model does not have.
        tensors = VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 8)).tensors()
        tensors["decoder.extra.weight"] = Tensor(shape: [1], values: [0])
        try AtomicFile.write(SafeTensors.encode(tensors, metadata: [:]), to: path)
        XCTAssertTrue(loadError(path).contains("'decoder.extra.weight' this model does not use"), loadError(path))
    }

    func testSaveOverAnExistingModelIsAtomic() throws {
        let path = temporaryPath("keep.safetensors")
        let configuration = ModelConfiguration.mlp(hiddenSize: 8)
        let first = VAEModel(configuration: configuration, seed: 1)
        try WeightsFile.save(first, metadata: ModelMetadata(configuration: configuration), to: path)
        // A save into a folder that does not exist fails and leaves the existing model alone.
        XCTAssertThrowsError(try WeightsFile.save(first, metadata: ModelMetadata(configuration: configuration),
                                                  to: "/nonexistent-folder/x.safetensors"))
        let second = VAEModel(configuration: configuration, seed: 2)
        try WeightsFile.save(second, metadata: ModelMetadata(configuration: configuration), to: path)
        XCTAssertEqual(try WeightsFile.load(path).model.tensors(), second.tensors())
    }
}
