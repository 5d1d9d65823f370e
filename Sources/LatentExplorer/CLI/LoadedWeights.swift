import Foundation
import VAE

/// Loading a weight file for a command: errors as one line, and a file in another program's layout
/// (pytorch/examples' fc1...fc4) says in one line, on standard error, how it was read.
enum LoadedWeights {
    static func load(_ path: String) throws -> (model: VAEModel, metadata: ModelMetadata) {
        let loaded = try CLIError.wrap { try WeightsFile.load(path) }
        if let note = loaded.metadata.layoutNote { FileHandle.printError("\(path): \(note)") }
        return loaded
    }
}
