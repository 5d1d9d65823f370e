import Foundation
import LetterData
import Support

/// A conditional model scores an image under every class: the importance-weighted bound L_K(x | y) on
/// log p(x | y) for y = 0..<C (`TrainingStep.importanceWeightedBounds` with the classes set to y). From
/// these come the generative classifier, argmax_y log p(x | y) + log p(y), and the marginal
///
///     log p(x) = log Σ_y p(y) p(x | y) ≥ log Σ_y p(y) exp(L_K(x | y))      (each L_K ≤ log p(x | y))
///
/// (a log-sum-exp over the classes), which compares with an unconditional model's bound on log p(x).
extension Inference {
    /// The bound on log p(x | y) in nats for every image and class: `[count, C]` row-major, image-major.
    /// `samples` (K) draws of z per image and class, with a fixed seed; C x K decodes per image.
    public func classLogLikelihoods(_ images: ImageSet, samples: Int, seed: UInt64 = 0, batchSize: Int = 128) -> [Double] {
        let c = configuration.classCount
        precondition(c > 0, "only a conditional model scores an image under each class")
        guard images.count > 0 else { return [] }
        let (step, batchSize) = importanceWorkspace(samples: samples, images: batchSize)
        var generator = SeededGenerator(seed: seed)
        var out = [Double](repeating: 0, count: images.count * c)
        let anyClass = [Int32](repeating: 0, count: images.count)   // replaced per class below
        for start in stride(from: 0, to: images.count, by: batchSize) {
            let rows = min(start + batchSize, images.count) - start
            step.loadBatch(images, classes: anyClass, indices: Array(start ..< start + rows)[...])
            for y in 0 ..< c {
                step.setClasses([Int32](repeating: Int32(y), count: rows))
                for (row, bound) in step.importanceWeightedBounds(samples: samples, using: &generator).enumerated() {
                    out[(start + row) * c + y] = bound
                }
            }
        }
        return out
    }
}

/// What the per-class bounds say about a set of images: the marginal bound on log p(x) under a prior
/// over classes, and the generative classifier's choice for each image.
public struct ClassLikelihoodSummary: Sendable, Equatable {
    /// The mean over images of log Σ_y p(y) exp(L_K(x | y)), nats: a lower bound on log p(x).
    public var marginalLogLikelihoodBound: Double
    /// argmax_y of log p(y) + L_K(x | y) for each image (the model's own most likely class).
    public var predictedClasses: [Int32]

    /// From `bounds` `[count, C]` (`Inference.classLogLikelihoods`) and `logPrior` `[C]`, log p(y).
    public init(bounds: [Double], logPrior: [Double]) {
        let c = logPrior.count
        precondition(c > 0 && bounds.count % c == 0, "one bound per image and class")
        let count = bounds.count / c
        var total: Double = 0
        var predicted: [Int32] = []
        predicted.reserveCapacity(count)
        for i in 0 ..< count {
            let joint = (0 ..< c).map { logPrior[$0] + bounds[i * c + $0] }   // log p(y) + L_K(x | y)
            total += TrainingStep.logMeanExp(joint) + Foundation.log(Double(c))   // log Σ, not the mean
            predicted.append(Int32(joint.indices.max { joint[$0] < joint[$1] } ?? 0))
        }
        marginalLogLikelihoodBound = count > 0 ? total / Double(count) : 0
        predictedClasses = predicted
    }

    /// log p(y) = -log C for each of C classes: the prior when nothing says the classes are unequal.
    public static func uniformLogPrior(classCount: Int) -> [Double] {
        [Double](repeating: -Foundation.log(Double(classCount)), count: classCount)
    }

    /// The share of images whose predicted class is `expected` (the class indices of the images).
    public func accuracy(expected: [Int32]) -> Double {
        precondition(expected.count == predictedClasses.count, "one expected class per image")
        guard !expected.isEmpty else { return 0 }
        return Double(zip(predictedClasses, expected).filter { $0 == $1 }.count) / Double(expected.count)
    }
}
