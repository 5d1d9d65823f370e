import Foundation
import LetterData

/// Reads one prepared letter with a model: its code (the encoder's mean and σ per dimension, steadied
/// over half-pixel shifts of the letter: `steadyCode`), the test letters whose codes are nearest, their
/// vote as a verdict (`looks like: a (4 of 5)`), its negative ELBO and its reconstruction. `encode` and
/// the explorer's draw mode share it.
///
/// A conditional model (a CVAE) needs a class to encode with: the reader first asks the model's own
/// generative classifier (argmax_y of the bound on log p(x | y), uniform p(y)), then encodes the image
/// as that class, so its code is a style code and its verdict is the model's own most likely class.
public final class LetterReader {
    public let inference: Inference
    /// The test letters' latent means, `[count, latentDim]`, and their labels.
    public let reference: NearestNeighbours

    /// How many nearest test letters are listed and vote: the k of `eval`'s classifier.
    public static let neighbours = NearestNeighbours.defaultK

    public struct Neighbour: Sendable, Equatable {
        /// The test letter's index in the test split, its label and its code's Euclidean distance.
        public var index: Int
        public var label: Int
        public var distance: Float
    }

    public struct Reading: Sendable {
        /// The letter's code (`steadyCode`): the encoder's mean, and σ per dimension.
        public var mean: [Float]
        public var sigma: [Float]
        public var nearest: [Neighbour]
        /// The majority label of `nearest`, with its votes of how many (nil without test letters).
        public var verdict: (label: Int, votes: Int, of: Int)?
        /// -ELBO of the prepared image in nats (one z sample, fixed seed, β = 1).
        public var negativeELBO: Double
        /// The decoder's pixel probabilities at `mean`.
        public var reconstruction: [Float]
        /// A conditional model's own most likely class (its generative classifier), as which the image
        /// was encoded, scored and reconstructed; nil for an unconditional model.
        public var modelClass: Int32?
    }

    /// Importance samples per class for the generative classifier of one drawn or encoded letter: C x K
    /// decodes (26 x 64) take a few milliseconds, and K = 64 settles the argmax on real letters.
    public static let classifierSamples = 64

    /// `testImages` are encoded once here (their means are the reference codes); a conditional model
    /// encodes each with its class index `testClasses` (`ClassMap.indices(of:)`).
    public init(inference: Inference, testImages: ImageSet, testClasses: [Int32]? = nil) {
        self.inference = inference
        reference = NearestNeighbours(codes: inference.encodeMeans(testImages, classes: testClasses), labels: testImages.labels,
                                      dimension: inference.configuration.latentDim)
    }

    public init(inference: Inference, reference: NearestNeighbours) {
        self.inference = inference
        self.reference = reference
    }

    /// Reads 784 prepared pixels (0 background, 255 ink).
    public func read(_ pixels: [UInt8]) -> Reading {
        let image = ImageSet(pixels: pixels, labels: [0])
        var modelClass: Int32?
        if inference.configuration.isConditional {
            let bounds = inference.classLogLikelihoods(image, samples: Self.classifierSamples)
            let prior = ClassLikelihoodSummary.uniformLogPrior(classCount: inference.configuration.classCount)
            modelClass = ClassLikelihoodSummary(bounds: bounds, logPrior: prior).predictedClasses.first
        }
        let classes = modelClass.map { [$0] }
        let (mean, logVariance) = steadyCode(pixels, class: modelClass)
        let sigma = logVariance.map { exp($0 / 2) }
        let loss = inference.negativeELBO(image, classes: classes)
        return Reading(mean: mean, sigma: sigma, nearest: nearest(mean), verdict: reference.vote(mean, k: Self.neighbours),
                       negativeELBO: loss.total, reconstruction: inference.decode(mean, class: modelClass), modelClass: modelClass)
    }

    /// How far (in pixels) the prepared letter is moved each way when its code is steadied: where a
    /// photo's preparation puts EMNIST's pixel grid is known to within about half a pixel.
    public static let steadyingOffset: Float = 0.5

    /// The letter's code: the encoder's means (and log-variances) averaged over the letter and its 8
    /// copies moved by `offset` along x, y or both (`SubpixelShift`), a 3x3 grid of shifts.
    ///
    /// Why: the test letters' codes are the encoder's at EMNIST's own pixel grid, and moving a real
    /// letter by one pixel changes its 5-NN verdict for 14 to 18 % of letters; a photo's preparation
    /// cannot know that grid exactly. The average over the grid is the code of the letter wherever its
    /// grid lies within `offset`, so the verdict stops hanging on it. An `offset` of 0 is the plain code.
    public func steadyCode(_ pixels: [UInt8], class modelClass: Int32?,
                           offset: Float = LetterReader.steadyingOffset) -> (mean: [Float], logVariance: [Float]) {
        let steps: [Float] = offset == 0 ? [0] : [-offset, 0, offset]
        var copies: [UInt8] = []
        for dy in steps {
            for dx in steps { copies += dx == 0 && dy == 0 ? pixels : SubpixelShift.shifted(pixels, dx: dx, dy: dy) }
        }
        let count = steps.count * steps.count
        let images = ImageSet(pixels: copies, labels: [Int](repeating: 0, count: count))
        let (means, logVariances) = inference.encodeGaussians(images, classes: modelClass.map { [Int32](repeating: $0, count: count) })
        return (Self.columnMeans(means, rows: count), Self.columnMeans(logVariances, rows: count))
    }

    /// The mean of each column of a `[rows, n]` row-major matrix.
    static func columnMeans(_ values: [Float], rows: Int) -> [Float] {
        let n = values.count / rows
        var out = [Float](repeating: 0, count: n)
        for r in 0 ..< rows { for j in 0 ..< n { out[j] += values[r * n + j] } }
        return out.map { $0 / Float(rows) }
    }

    /// The `neighbours` test codes nearest `code`, nearest first.
    public func nearest(_ code: [Float], count: Int = LetterReader.neighbours) -> [Neighbour] {
        let d = reference.dimension
        var best: [Neighbour] = []
        for i in 0 ..< reference.labels.count {
            var distance: Float = 0
            for j in 0 ..< d { let diff = reference.codes[i * d + j] - code[j]; distance += diff * diff }
            if best.count < count || distance < best[best.count - 1].distance {
                let slot = best.firstIndex { $0.distance > distance } ?? best.count
                best.insert(Neighbour(index: i, label: reference.labels[i], distance: distance), at: slot)
                if best.count > count { best.removeLast() }
            }
        }
        return best.map { Neighbour(index: $0.index, label: $0.label, distance: $0.distance.squareRoot()) }
    }
}
