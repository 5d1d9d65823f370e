import LetterData

/// Everything `compare` says about one model on one data set (usually restricted to some classes):
/// how well it models the images, how many latent dimensions it uses, and how well its latent space
/// separates the classes.
public struct LatentSpaceReport: Sendable {
    /// The labels scored (those with test images), sorted.
    public var classes: [Int]
    public var testCount: Int
    /// Test negative ELBO per image (β = 1), one z sample per image, seed 0.
    public var loss: LossParts
    /// K of the importance-weighted bound (1: it is the ELBO).
    public var importanceSamples: Int
    /// The importance-weighted lower bound on log p(x) per image (nats).
    public var logLikelihoodBound: Double
    public var latentDim: Int
    /// Dimensions whose posterior mean varies over the test images by more than `ActiveUnits.varianceThreshold`.
    public var activeUnits: Int
    /// The k-NN classifier's confusions on the test codes (training codes as references).
    public var confusion: ConfusionMatrix
    public var k: Int
    /// `ClassSeparation.crowding` of the test codes: the share of a code's nearest codes that belong to
    /// another class (0: separate classes; larger: more crowded). The number `compare` calls crowding.
    public var crowding: Double
    /// `ClassSeparation.silhouette` of the test codes: near 1 well separated, near 0 crowded.
    public var silhouette: Double
    /// `ClassSeparation.spreadRatio` of the test codes.
    public var spreadRatio: Double
    /// The test codes (`[testCount, latentDim]`, posterior means) and their labels, for pictures.
    public var testCodes: [Float]
    public var testLabels: [Int]
    /// A conditional model's marginal bound on log p(x) and generative classifier (its `loss` and
    /// `logLikelihoodBound` then bound -log p(x | y)); nil for an unconditional model.
    public var conditional: ConditionalScores?

    public var knnAccuracy: Double { confusion.accuracy }

    /// Scores `model` on `dataset` (train codes are the k-NN references, test codes the queries; a
    /// conditional model encodes each image with its class). Throws `ModelError.unknownClass` when a
    /// conditional model lacks one of the data's classes. `stage` is told what is measured next and how
    /// many of the steps are done (for a progress line).
    public static func measure(model: VAEModel, dataset: LabelledDataset, importanceSamples: Int = 1,
                               k: Int = NearestNeighbours.defaultK,
                               stage: (_ what: String, _ done: Int, _ of: Int) -> Void = { _, _, _ in }) throws -> LatentSpaceReport {
        let inference = Inference(model: model)
        let dimension = model.latentDim
        let classMap = try ClassMap(model: model, dataset: dataset)
        let testClasses = classMap.indices(of: dataset.test)
        // Steps of the progress line: one for each quick stage, `boundSteps` for the likelihood bound,
        // which takes most of the time when K > 1 and moves the line as its images are done.
        let boundSteps = importanceSamples > 1 ? 20 : 1
        let stages = 4 + boundSteps
        stage("the negative ELBO", 0, stages)
        let loss = inference.negativeELBO(dataset.test, classes: testClasses, seed: 0)
        let bounding = "the likelihood bound (K = \(importanceSamples))"
        stage(bounding, 1, stages)
        let bound = importanceSamples > 1
            ? inference.importanceWeightedBound(dataset.test, classes: testClasses, samples: importanceSamples, seed: 0) { done, of in
                stage(bounding, 1 + boundSteps * done / of, stages)
            } : -loss.total
        stage("the codes", 1 + boundSteps, stages)
        let testCodes = inference.encodeMeans(dataset.test, classes: testClasses)
        let reference = NearestNeighbours(codes: inference.encodeMeans(dataset.train, classes: classMap.indices(of: dataset.train)),
                                          labels: dataset.train.labels, dimension: dimension)
        stage("the k-NN votes", 2 + boundSteps, stages)
        let predicted = reference.predictions(queries: testCodes, k: k)
        stage("the crowding", 3 + boundSteps, stages)
        let labels = dataset.test.labels
        return LatentSpaceReport(
            classes: Array(Set(labels)).sorted(), testCount: labels.count, loss: loss,
            importanceSamples: importanceSamples, logLikelihoodBound: bound, latentDim: dimension,
            activeUnits: ActiveUnits.count(codes: testCodes, dimension: dimension),
            confusion: ConfusionMatrix(actual: predicted.isEmpty ? [] : labels, predicted: predicted), k: k,
            crowding: ClassSeparation.crowding(codes: testCodes, labels: labels, dimension: dimension),
            silhouette: ClassSeparation.silhouette(codes: testCodes, labels: labels, dimension: dimension),
            spreadRatio: ClassSeparation.spreadRatio(codes: testCodes, labels: labels, dimension: dimension),
            testCodes: testCodes, testLabels: labels,
            conditional: model.isConditional && !labels.isEmpty
                ? ConditionalScores.measure(inference: inference, classMap: classMap, images: dataset.test, importanceSamples: importanceSamples)
                : nil)
    }
}
