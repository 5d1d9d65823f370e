import Foundation

/// Saving and loading a VAE as a safetensors file with `ModelMetadata`.
///
/// Tensor names follow the model (`encoder.hidden.weight` `[512, 784]`, ...), in PyTorch's
/// `nn.Linear` layout, so `safetensors.torch.load_file` gives a state dict PyTorch can use directly.
public enum WeightsFile {
    /// Writes atomically: a temporary file in the same folder, renamed over `path` when complete,
    /// so an interrupted save never destroys the model that was there.
    public static func save(_ model: VAEModel, metadata: ModelMetadata, to path: String) throws {
        var stamped = metadata
        stamped.architecture = model.architecture
        let bytes = SafeTensors.encode(model.tensors(), metadata: stamped.strings)
        try AtomicFile.write(bytes, to: path)
    }

    public static func load(_ path: String) throws -> (model: VAEModel, metadata: ModelMetadata) {
        guard FileManager.default.fileExists(atPath: path) else { throw WeightsError.missingFile(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WeightsError.malformed(path: path, reason: "cannot be read")
        }
        let (tensors, strings) = try SafeTensors.decode([UInt8](data), path: path)
        let architecture = try inferArchitecture(tensors, path: path)
        let model = VAEModel(architecture: architecture)
        do {
            try model.load(tensors)
        } catch let error as ModelError {
            throw WeightsError.incompatible(path: path, reason: error.description)
        }
        return (model, ModelMetadata(strings: strings, architecture: architecture))
    }

    /// Sizes come from the encoder's first layer `[hidden, input]` and the mean head `[latent, hidden]`.
    private static func inferArchitecture(_ tensors: [String: Tensor], path: String) throws -> VAEArchitecture {
        guard let hidden = tensors["encoder.hidden.weight"], hidden.shape.count == 2,
              let mean = tensors["encoder.mean.weight"], mean.shape.count == 2 else {
            throw WeightsError.incompatible(path: path, reason: "no encoder.hidden.weight / encoder.mean.weight matrices")
        }
        guard hidden.shape.allSatisfy({ $0 > 0 }), mean.shape[0] > 0 else {
            throw WeightsError.incompatible(path: path, reason: "empty layers")
        }
        return VAEArchitecture(inputSize: hidden.shape[1], hiddenSize: hidden.shape[0], latentDim: mean.shape[0])
    }
}
