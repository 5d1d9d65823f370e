import FileFormats
import Foundation
import LetterData
import Synchronization
import VAE

/// Small VAEs trained for a few epochs on synthetic letters, so that decoded letters differ from place
/// to place (a random model decodes the same grey everywhere). Each is trained once per test process.
enum TestModels {
    /// The latent sizes the MLP is tested with.
    static let latentSizes = [1, 2, 16]
    static let mlpHiddenSize = 96
    static let trainingLetters = 2_600
    static let epochs = 6
    static let seed: UInt64 = 21

    /// The trained weights by configuration (value snapshots: models are not `Sendable`), and their files.
    private static let trained = Mutex<[ModelConfiguration: [String: Tensor]]>([:])
    private static let files = Mutex<[ModelConfiguration: String]>([:])

    static func mlpConfiguration(latentDim: Int) -> ModelConfiguration {
        ModelConfiguration.mlp(hiddenSize: mlpHiddenSize, latentDim: latentDim)
    }

    /// The reference's convolutional architecture (32 and 64 channels, 128 hidden), as `--arch conv` builds it.
    static func convConfiguration(latentDim: Int) -> ModelConfiguration {
        ModelConfiguration.conv(latentDim: latentDim)
    }

    /// A trained MLP with a `latentDim`-D latent space (a copy: callers may keep it).
    static func mlp(latentDim: Int) -> VAEModel { trainedModel(mlpConfiguration(latentDim: latentDim)) }

    /// A trained model of `configuration` (a copy).
    static func trainedModel(_ configuration: ModelConfiguration) -> VAEModel {
        let weights = trained.withLock { cache in
            if let weights = cache[configuration] { return weights }
            let model = VAEModel(configuration: configuration, seed: seed)
            let dataset = SyntheticLetters.makeDataset(trainCount: trainingLetters, testCount: 260, seed: seed)
            let training = TrainingConfiguration(epochs: epochs, batchSize: 64, learningRate: 3e-3, patience: epochs,
                                                 seed: seed, snapshotInterval: 0, progressInterval: 1_000)
            _ = Trainer(model: model, dataset: dataset, configuration: training).run()
            cache[configuration] = model.tensors()
            return model.tensors()
        }
        let model = VAEModel(configuration: configuration)
        do { try model.load(weights) } catch { preconditionFailure("a model's own tensors load back: \(error)") }
        return model
    }

    /// The trained MLP saved as a safetensors file in a temporary folder, for runs of the binary.
    static func weightsFile(latentDim: Int) throws -> String { try weightsFile(mlpConfiguration(latentDim: latentDim)) }

    /// A trained model of `configuration` saved in a temporary folder.
    static func weightsFile(_ configuration: ModelConfiguration) throws -> String {
        if let path = files.withLock({ $0[configuration] }) { return path }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-test-models-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("\(configuration.kind)-\(configuration.latentDim)d.safetensors").path
        let model = trainedModel(configuration)
        try WeightsFile.save(model, metadata: ModelMetadata(configuration: model.configuration, dataset: "synthetic-letters",
                                                             epochs: epochs), to: path)
        files.withLock { $0[configuration] = path }
        return path
    }
}
