import LetterData

/// The scores `eval` reports for a model on a data set.
public struct Evaluation: Sendable {
    /// Test negative ELBO per image (β = 1, whatever β the model was trained with), one z sample per
    /// image with seed 0.
    public var loss: LossParts
    /// Samples per image of the importance-weighted bound (1: the bound is the ELBO itself).
    public var importanceSamples: Int
    /// The importance-weighted lower bound on log p(x) per image, in nats (`Inference.importanceWeightedBound`);
    /// with one sample, minus the negative ELBO. Its negative estimates the negative log-likelihood.
    public var logLikelihoodBound: Double
    /// k-NN accuracy on latent means: train codes are the reference, test codes the queries.
    public var knnAccuracy: Double
    public var testCount: Int

    /// The largest K `eval --importance-samples` accepts: each sample decodes the whole test split once.
    public static let maximumImportanceSamples = Contract.shared.importanceSamples.upperBound

    public static func run(model: VAEModel, dataset: LabelledDataset, k: Int = NearestNeighbours.defaultK,
                           importanceSamples: Int = 1) -> Evaluation {
        let inference = Inference(model: model)
        let loss = inference.negativeELBO(dataset.test, seed: 0)
        let bound = importanceSamples > 1
            ? inference.importanceWeightedBound(dataset.test, samples: importanceSamples, seed: 0) : -loss.total
        let reference = NearestNeighbours(codes: inference.encodeMeans(dataset.train), labels: dataset.train.labels,
                                          dimension: model.latentDim)
        let accuracy = reference.accuracy(queries: inference.encodeMeans(dataset.test), expected: dataset.test.labels, k: k)
        return Evaluation(loss: loss, importanceSamples: importanceSamples, logLikelihoodBound: bound,
                          knnAccuracy: accuracy, testCount: dataset.test.count)
    }
}
