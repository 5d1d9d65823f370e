/// The scores `eval` reports for a model on a data set.
public struct Evaluation: Sendable {
    /// Test negative ELBO per image, one z sample per image with seed 0.
    public var loss: LossParts
    /// k-NN accuracy on latent means: train codes are the reference, test codes the queries.
    public var knnAccuracy: Double
    public var testCount: Int

    public static func run(model: VAEModel, dataset: LabelledDataset, k: Int = NearestNeighbours.defaultK) -> Evaluation {
        let inference = Inference(model: model)
        let loss = inference.negativeELBO(dataset.test, seed: 0)
        let reference = NearestNeighbours(codes: inference.encodeMeans(dataset.train), labels: dataset.train.labels,
                                          dimension: model.latentDim)
        let accuracy = reference.accuracy(queries: inference.encodeMeans(dataset.test), expected: dataset.test.labels, k: k)
        return Evaluation(loss: loss, knnAccuracy: accuracy, testCount: dataset.test.count)
    }
}
