import Foundation
import VAE

/// Small MLP VAEs trained for a few epochs on synthetic letters, so that decoded letters differ from
/// place to place (a random model decodes the same grey everywhere). Trained once per test process.
enum TestModels {
    /// The models the explorer is tested on. A conv model joins this list once the library has one.
    static let latentSizes = [1, 2, 16]
    static let hiddenSize = 96
    static let trainingLetters = 2_600
    static let epochs = 6
    static let seed: UInt64 = 21

    private static let lock = NSLock()
    nonisolated(unsafe) private static var trained: [Int: VAEModel] = [:]
    nonisolated(unsafe) private static var files: [Int: String] = [:]

    /// A trained MLP with a `latentDim`-D latent space (a copy: callers may keep it).
    static func mlp(latentDim: Int) -> VAEModel {
        lock.withLock {
            if let model = trained[latentDim] { return model.copy() }
            let model = VAEModel(architecture: VAEArchitecture(hiddenSize: hiddenSize, latentDim: latentDim), seed: seed)
            let dataset = SyntheticLetters.makeDataset(trainCount: trainingLetters, testCount: 260, seed: seed)
            let configuration = TrainingConfiguration(epochs: epochs, batchSize: 64, learningRate: 3e-3, patience: epochs,
                                                      seed: seed, snapshotInterval: 0, progressInterval: 1_000)
            _ = Trainer(model: model, dataset: dataset, configuration: configuration).run()
            trained[latentDim] = model
            return model.copy()
        }
    }

    /// The trained model saved as a safetensors file in a temporary folder, for runs of the binary.
    static func weightsFile(latentDim: Int) throws -> String {
        if let path = lock.withLock({ files[latentDim] }) { return path }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-test-models-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("mlp-\(latentDim)d.safetensors").path
        let model = mlp(latentDim: latentDim)
        try WeightsFile.save(model, metadata: ModelMetadata(architecture: model.architecture, dataset: "synthetic-letters",
                                                             epochs: epochs), to: path)
        lock.withLock { files[latentDim] = path }
        return path
    }
}
