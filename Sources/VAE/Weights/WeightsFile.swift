import FileFormats
import Foundation
import LetterData

/// Saving and loading a VAE as a safetensors file with `ModelMetadata`.
///
/// Tensor names are the PyTorch module names of the architecture (`encoder.hidden.weight` `[512, 784]`,
/// `encoder.conv1.weight` `[32, 1, 3, 3]`, ...) in PyTorch's layouts, so `safetensors.torch.load_file`
/// gives a state dict a PyTorch model with those modules loads directly, and a file saved from such a
/// model (without our metadata) opens here: its configuration is then read from the tensor shapes.
public enum WeightsFile {
    /// Writes atomically: a temporary file in the same folder, renamed over `path` when complete,
    /// so an interrupted or failed save never destroys the model that was there. A `path` that holds
    /// something other than a weights file, or lies in the shipped Weights/, is written only with `force`
    /// (`WritePolicy`).
    public static func save(_ model: VAEModel, metadata: ModelMetadata, to path: String, force: Bool = false) throws {
        var stamped = metadata
        stamped.configuration = model.configuration
        // A conditional model's classes are its one-hot inputs' names, in their order: the model's own.
        if model.isConditional { stamped.classes = model.classNames }
        let bytes = SafeTensors.encode(model.tensors(), metadata: stamped.strings)
        try AtomicFile.write(bytes, to: path, policy: .output(.weights, force: force))
    }

    /// The largest weight file read: the largest model the configurations allow
    /// (`ModelConfiguration.maximumParameterCount` values of the widest dtype read, F64) and a generous
    /// header. A larger file is refused from its size alone.
    static let maximumSize = ModelConfiguration.maximumParameterCount * SafeTensorsDType.largestSize + SafeTensors.maximumHeaderLength

    /// Reads the header first and the tensors only when the header describes a model this program can
    /// build: a large file that is not one costs its header, never its size.
    public static func load(_ path: String) throws -> (model: VAEModel, metadata: ModelMetadata) {
        func reading<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch DataError.missingFile {
                throw WeightsError.missingFile(path)
            } catch let error as DataError {
                throw WeightsError.malformed(path: path, reason: error.description)
            }
        }
        let file = try reading { try RegularFile(path, limit: maximumSize) }
        let headerLength = try SafeTensors.headerLength(try reading { try file.read(offset: 0, count: min(8, file.size)) },
                                                        fileSize: file.size, path: path)
        let header = try reading { try file.read(offset: 8, count: headerLength) }
        guard header.count == headerLength else { throw WeightsError.malformed(path: path, reason: "the file shrank while being read") }
        var layout = try SafeTensors.parseHeader(header, dataLength: file.size - 8 - headerLength, path: path)
        let strings = layout.metadata
        // pytorch/examples' VAE is our MLP under other names: renamed here, before the shapes are read.
        let foreignLayout = !ModelMetadata.isOurs(strings) && PyTorchExamplesLayout.matches(layout.entries.map(\.name))
        if foreignLayout {
            layout.entries = layout.entries.map { (PyTorchExamplesLayout.renamed($0.name), $0.shape, $0.begin, $0.end, $0.dtype) }
        }
        func incompatible(_ reason: String) -> WeightsError { .incompatible(path: path, reason: reason) }

        let configuration: ModelConfiguration
        let declared = ModelMetadata.isOurs(strings)
        if declared {
            do { configuration = try ModelMetadata.configuration(from: strings) } catch let error as ModelError {
                throw incompatible(error.description)
            }
        } else if let inferred = VAEModel.inferConfiguration(from: layout.shapes) {
            configuration = inferred
        } else {
            throw incompatible("it has no LatentExplorer metadata, and its tensors are not a known architecture (mlp: encoder.hidden.weight, conv: encoder.conv1.weight, ..., or pytorch/examples' fc1, fc21, fc22, fc3, fc4)")
        }
        let source = declared ? "its metadata describes" : "its tensor names suggest"
        // Validated before it is described: describing reads every setting value the architecture
        // declares, which a file may not hold (a deep-mlp with one hidden size).
        do { try configuration.validate() } catch let error as ModelError {
            throw incompatible("\(source) an \(error.description)")
        }
        do {
            try VAEModel.checkTensors(layout.shapes, match: configuration)   // before reading or allocating the tensors
        } catch let error as ModelError {
            throw incompatible("\(source) \(configuration), but \(error.description)")
        }
        let data = try reading { try file.read(offset: layout.dataStart, count: layout.dataLength) }
        guard data.count == layout.dataLength else { throw WeightsError.malformed(path: path, reason: "the file shrank while being read") }
        let tensors = SafeTensors.tensors(layout, data: data)
        for entry in layout.entries {
            let bad = tensors[entry.name]!.values.reduce(0) { $0 + ($1.isFinite ? 0 : 1) }
            if bad > 0 { throw WeightsError.nonFinite(path: path, tensor: entry.name, count: bad) }
        }
        var metadata = ModelMetadata(strings: strings, configuration: configuration)
        if foreignLayout { metadata.layoutNote = PyTorchExamplesLayout.note(configuration.description) }
        // A conditional model's one-hot inputs are named by the file's classes, one per class; a file
        // without them (saved from PyTorch) gets `ClassMap.defaultNames`.
        var classNames: [String]?
        if configuration.isConditional {
            if metadata.classes.isEmpty {
                metadata.classes = ClassMap.defaultNames(count: configuration.classCount)
            } else if metadata.classes.count != configuration.classCount {
                throw incompatible("\(source) \(configuration), but it names \(metadata.classes.count) classes for its \(configuration.classCount) one-hot inputs")
            }
            classNames = metadata.classes
        }
        let model = VAEModel(configuration: configuration, classNames: classNames)
        do { try model.load(tensors) } catch let error as ModelError {
            throw incompatible("\(source) \(configuration), but \(error.description)")
        }
        return (model, metadata)
    }
}
