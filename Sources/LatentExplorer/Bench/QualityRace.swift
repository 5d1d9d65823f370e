import Foundation
import LetterData
import Support
import VAE

/// `bench --to-quality`: the wall-clock time each side needs to reach the same test loss. The PyTorch
/// reference (`vae_torch_quality.py`) trains for `referenceEpochs` epochs on an MNIST-format folder and
/// reports its test negative ELBO and its time; then we train the same network with the same recipe
/// (all training images, no validation split, batch 128, Adam 1e-3, PyTorch's initialisation) and stop
/// at the first epoch whose test negative ELBO (one z sample per image, as the reference measures it)
/// is at or below the reference's. Only training is timed on either side: our test pass after each
/// epoch is not (our time is what a training that knew when to stop would take), and the reference's
/// final test pass and 5-NN are taken off its time (`reference(kind:)`).
struct QualityRace {
    /// The reference's epochs: the figure in the shared bench README (MLP z = 2: 264.3 nats; conv z = 2: 262.2).
    static let referenceEpochs = 10
    /// Our epochs before giving up: three times the reference's, so a run that never gets there ends.
    static let maximumEpochs = 30
    /// The architectures the reference's quality script has (`--arch mlp|conv`).
    static let kinds = ["mlp", "conv"]

    let python: String
    let script: String
    let folder: String
    /// The latent size raced: the reference's figures in the issue and the README are for z = 2.
    let latentDim = 2

    struct Reference { var negativeELBO: Double, seconds: Double }

    /// Runs the reference's quality script (`DIR train t10k --epochs E --arch KIND --z Z`) for 10 epochs
    /// and for none: its `train_seconds` runs to the end of its test pass and its 5-NN over the training
    /// codes, so the run without training measures that part, which is taken off.
    func reference(kind: String) throws -> Reference {
        func run(epochs: Int) throws -> (loss: Double, seconds: Double) {
            let arguments = [script, folder, "train", "t10k", "--epochs", String(epochs), "--arch", kind, "--z", String(latentDim)]
            let fields = try TorchReference.runScript(python: python, arguments: arguments, label: "\(python) \(script)")
            guard let loss = fields["neg_elbo"].flatMap(Double.init), let seconds = fields["train_seconds"].flatMap(Double.init) else {
                throw CLIError("the PyTorch quality script (\(script)) printed no neg_elbo and train_seconds")
            }
            return (loss, seconds)
        }
        let trained = try run(epochs: Self.referenceEpochs), scoringOnly = try run(epochs: 0)
        return Reference(negativeELBO: trained.loss, seconds: max(trained.seconds - scoringOnly.seconds, 0))
    }

    /// Our training until the test negative ELBO reaches `target`: the seconds spent training, the
    /// epochs, and the last test negative ELBO (nil seconds when `maximumEpochs` did not get there).
    func ours(_ architecture: any VAEArchitecture.Type, on dataset: LabelledDataset, target: Double,
              pool: ComputePool, status: StatusLine) -> (seconds: Double?, epochs: Int, negativeELBO: Double) {
        let model = VAEModel(configuration: ModelConfiguration(architecture, latentDim: latentDim), seed: TrainingConfiguration.defaultSeed)
        let batchSize = TrainingConfiguration.defaultBatchSize
        let step = TrainingStep(model: model, batchCapacity: batchSize, pool: pool)
        let optimizer = Adam(parameters: model.parameters, learningRate: TrainingConfiguration.defaultLearningRate, pool: pool)
        let evaluator = Inference(model: model, pool: pool)
        var generator = SeededGenerator(seed: TrainingConfiguration.defaultSeed)
        var order = Array(0 ..< dataset.train.count)
        var seconds = 0.0, loss = Double.infinity
        for epoch in 1 ... Self.maximumEpochs {
            status.update("Training our \(architecture.name) to \(String(format: "%.1f", target)) nats: epoch \(epoch), test \(String(format: "%.1f", loss))…",
                          done: epoch - 1, of: Self.maximumEpochs)
            order.shuffle(using: &generator)
            seconds += Measurements.seconds {
                for start in stride(from: 0, to: order.count, by: batchSize) {
                    step.loadBatch(dataset.train, indices: order[start ..< min(start + batchSize, order.count)])
                    step.forward(using: &generator, computeGradients: true)
                    step.backward(thenUpdate: optimizer)
                }
            }
            loss = evaluator.negativeELBO(dataset.test, seed: 0).total
            if loss <= target { return (seconds, epoch, loss) }
        }
        return (nil, Self.maximumEpochs, loss)
    }

    /// Both sides for each of `kinds`, into `report`: `torch_<kind>_to_quality_seconds` and its
    /// `_neg_elbo` (the target), ours, the epochs we needed, and `<kind>_to_quality_speedup_vs_torch`.
    func run(kinds: [String], dataset: LabelledDataset, pool: ComputePool, into report: inout BenchReport) throws {
        for kind in kinds {
            let architecture = try CLIError.wrap { try Architectures.find(kind) }
            let prefix = kind.replacingOccurrences(of: "-", with: "_") + "_z\(latentDim)_to_quality"
            let theirs = try StatusLine.run("Training the PyTorch reference's \(kind) for \(Self.referenceEpochs) epochs…") {
                try reference(kind: kind)
            }
            report.add("torch_" + prefix + "_neg_elbo", theirs.negativeELBO)
            report.add("torch_" + prefix + "_seconds", theirs.seconds)
            let race = StatusLine.run("Training our \(kind)…") { status in
                ours(architecture, on: dataset, target: theirs.negativeELBO, pool: pool, status: status)
            }
            report.add(prefix + "_neg_elbo", race.negativeELBO)
            report.add(prefix + "_epochs", race.epochs)
            guard let seconds = race.seconds else {
                FileHandle.printError("our \(kind) did not reach \(String(format: "%.1f", theirs.negativeELBO)) nats in \(Self.maximumEpochs) epochs")
                continue
            }
            report.add(prefix + "_seconds", seconds)
            report.add(prefix + "_speedup_vs_torch", theirs.seconds / seconds)
        }
    }
}
