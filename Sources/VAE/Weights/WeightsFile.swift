import Foundation

/// Saving and loading a VAE as a safetensors file with `ModelMetadata`.
///
/// Tensor names are the PyTorch module names of the architecture (`encoder.hidden.weight` `[512, 784]`,
/// `encoder.conv1.weight` `[32, 1, 3, 3]`, ...) in PyTorch's layouts, so `safetensors.torch.load_file`
/// gives a state dict a PyTorch model with those modules loads directly, and a file saved from such a
/// model (without our metadata) opens here: its configuration is then read from the tensor shapes.
public enum WeightsFile {
    /// Writes atomically: a temporary file in the same folder, renamed over `path` when complete,
    /// so an interrupted or failed save never destroys the model that was there.
    public static func save(_ model: VAEModel, metadata: ModelMetadata, to path: String) throws {
        var stamped = metadata
        stamped.configuration = model.configuration
        let bytes = SafeTensors.encode(model.tensors(), metadata: stamped.strings)
        try AtomicFile.write(bytes, to: path)
    }

    /// The largest weight file read: the largest model the configurations allow is well below it, and a
    /// file claiming more is refused before it is read into memory.
    static let maximumSize = 1 << 31

    public static func load(_ path: String) throws -> (model: VAEModel, metadata: ModelMetadata) {
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.readRaw(path, limit: maximumSize)
        } catch DataError.missingFile {
            throw WeightsError.missingFile(path)
        } catch let error as DataError {
            throw WeightsError.malformed(path: path, reason: error.description)
        }
        let (tensors, strings) = try SafeTensors.decode(bytes, path: path)
        func incompatible(_ reason: String) -> WeightsError { .incompatible(path: path, reason: reason) }

        let configuration: ModelConfiguration
        let declared = ModelMetadata.isOurs(strings)
        if declared {
            do { configuration = try ModelMetadata.configuration(from: strings) } catch let error as ModelError {
                throw incompatible(error.description)
            }
        } else if let inferred = VAEModel.inferConfiguration(from: tensors.mapValues(\.shape)) {
            configuration = inferred
        } else {
            throw incompatible("it has no LatentExplorer metadata, and its tensors are not a known architecture (mlp: encoder.hidden.weight, conv: encoder.conv1.weight, ...)")
        }
        do {
            try configuration.validate()
            try VAEModel.checkTensors(tensors.mapValues(\.shape), match: configuration)   // before allocating the model
            let model = VAEModel(configuration: configuration)
            try model.load(tensors)
            return (model, ModelMetadata(strings: strings, configuration: configuration))
        } catch let error as ModelError {
            let source = declared ? "its metadata describes" : "its tensor names suggest"
            throw incompatible("\(source) \(configuration), but \(error.description)")
        }
    }
}
