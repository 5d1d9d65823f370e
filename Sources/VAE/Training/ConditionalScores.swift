import LetterData

/// What a conditional model's scores mean, and the two figures that make it comparable with an
/// unconditional one. Its negative ELBO with each image's own class bounds -log p(x | y), not
/// -log p(x). Scoring each test image under every class y (`Inference.classLogLikelihoods`, the
/// importance-weighted bound L_K(x | y) ≤ log p(x | y)) gives
///
///     -log p(x) ≤ -log Σ_y p(y) exp(L_K(x | y))        the marginal, comparable with a plain VAE's
///     ŷ(x)     = argmax_y log p(y) + L_K(x | y)         the generative classifier
///
/// with p(y) uniform over the model's classes: the weight files do not record how often each class
/// was seen, and a data set's own frequencies (the real letters' test split is sorted and cut by
/// class) would say more about how the copy was made than about handwriting.
public struct ConditionalScores: Sendable, Equatable {
    /// The prior p(y) behind the marginal and the classifier, in words.
    public var prior: String
    /// K of each per-class bound.
    public var importanceSamples: Int
    /// The mean over test images of log Σ_y p(y) exp(L_K(x | y)), nats: a lower bound on log p(x).
    public var marginalLogLikelihoodBound: Double
    /// The share of test images whose generative-classifier class is their own.
    public var classifierAccuracy: Double
    /// The classifier's class for each test image, as the data set's labels.
    public var predictedLabels: [Int]

    /// The label reported for a predicted class the data set does not name.
    public static let unnamedLabel = -1

    /// K of the per-class bounds at least: with one sample each bound is a single noisy ELBO draw, and
    /// the classifier compares C of them; 10 samples cost 10 decodes per image and class.
    public static let minimumImportanceSamples = 10

    /// Scores `images` (whose labels `classMap` maps) under every class of `model` with K =
    /// max(`importanceSamples`, `minimumImportanceSamples`).
    public static func measure(inference: Inference, classMap: ClassMap, images: ImageSet, importanceSamples: Int) -> ConditionalScores {
        let model = inference.model
        let samples = max(importanceSamples, minimumImportanceSamples)
        let bounds = inference.classLogLikelihoods(images, samples: samples, seed: 0)
        let summary = ClassLikelihoodSummary(bounds: bounds, logPrior: ClassLikelihoodSummary.uniformLogPrior(classCount: model.classCount))
        let expected = classMap.indices(of: images) ?? []
        let labelOfClass = (0 ..< model.classCount).map { classMap.label(ofClass: Int32($0)) }
        return ConditionalScores(
            prior: "uniform over the model's \(model.classCount) classes", importanceSamples: samples,
            marginalLogLikelihoodBound: summary.marginalLogLikelihoodBound,
            classifierAccuracy: summary.accuracy(expected: expected),
            predictedLabels: summary.predictedClasses.map { labelOfClass[Int($0)] ?? unnamedLabel })
    }
}
