import LetterData

/// The scores `eval` reports for a model on a data set.
public struct Evaluation: Sendable {
    /// Test negative ELBO per image (β = 1, whatever β the model was trained with), one z sample per
    /// image with seed 0. A conditional model's bounds -log p(x | y), each image with its own class.
    public var loss: LossParts
    /// Samples per image of the importance-weighted bound (1: the bound is the ELBO itself).
    public var importanceSamples: Int
    /// The importance-weighted lower bound on log p(x) per image, in nats (`Inference.importanceWeightedBound`);
    /// with one sample, minus the negative ELBO. Its negative estimates the negative log-likelihood.
    public var logLikelihoodBound: Double
    /// k-NN accuracy on latent means: train codes are the reference, test codes the queries.
    public var knnAccuracy: Double
    public var testCount: Int
    /// A conditional model's marginal bound on log p(x) and generative classifier; nil for an
    /// unconditional model.
    public var conditional: ConditionalScores?

    /// The largest K `eval --importance-samples` accepts: each sample decodes the whole test split once.
    public static let maximumImportanceSamples = Contract.shared.importanceSamples.upperBound

    /// Scores `model` on `dataset`'s test split; throws `ModelError.unknownClass` when a conditional
    /// model lacks one of the data's classes. `progress` is told how many test images the
    /// importance-weighted bound has done (K > 1 only: it takes most of the time).
    public static func run(model: VAEModel, dataset: LabelledDataset, k: Int = NearestNeighbours.defaultK,
                           importanceSamples: Int = 1,
                           progress: (_ done: Int, _ of: Int) -> Void = { _, _ in }) throws -> Evaluation {
        let inference = Inference(model: model)
        let classMap = try ClassMap(model: model, dataset: dataset)
        let (trainClasses, testClasses) = (classMap.indices(of: dataset.train), classMap.indices(of: dataset.test))
        let loss = inference.negativeELBO(dataset.test, classes: testClasses, seed: 0)
        let bound = importanceSamples > 1
            ? inference.importanceWeightedBound(dataset.test, classes: testClasses, samples: importanceSamples, seed: 0,
                                                progress: progress)
            : -loss.total
        let reference = NearestNeighbours(codes: inference.encodeMeans(dataset.train, classes: trainClasses), labels: dataset.train.labels,
                                          dimension: model.latentDim)
        let accuracy = reference.accuracy(queries: inference.encodeMeans(dataset.test, classes: testClasses),
                                          expected: dataset.test.labels, k: k)
        let conditional = model.isConditional && dataset.test.count > 0
            ? ConditionalScores.measure(inference: inference, classMap: classMap, images: dataset.test, importanceSamples: importanceSamples)
            : nil
        return Evaluation(loss: loss, importanceSamples: importanceSamples, logLikelihoodBound: bound,
                          knnAccuracy: accuracy, testCount: dataset.test.count, conditional: conditional)
    }
}
