import LetterData
import Support

/// Deterministic use of a trained model: decode latent points to pixel probabilities, encode images to
/// latent means, and score a data set. Decoding calls no BLAS (see `PointDecoder`), so a UI thread can
/// decode while training keeps OpenBLAS busy; encoding and scoring run mini-batches through BLAS.
///
/// Decoding reads the weights as they were when the `Inference` was made. Not `Sendable`: one
/// thread uses an instance at a time (it may be handed over with `sending`).
public final class Inference {
    public let model: VAEModel
    public var configuration: ModelConfiguration { model.configuration }
    /// The decoder's weights as they were at `init`: a `Sendable` value another thread may hold.
    public let batchDecoder: BatchDecoder
    private var batchWorkspace: TrainingStep?
    /// The threads encoding and scoring split their mini-batches over.
    public let pool: ComputePool

    /// Encoding and scoring run on `pool` (`ComputePool.default` when the caller has no pool of its own).
    public init(model: VAEModel, pool: ComputePool = .default) {
        self.model = model
        self.pool = pool
        batchDecoder = BatchDecoder(decoder: model.network.makePointDecoder(), configuration: model.configuration)
    }

    /// Pixel probabilities in [0, 1] (`inputSize` of them) for one latent point of `latentDim` coordinates
    /// (and, for a conditional model, class index `classIndex`; nil for an unconditional one).
    public func decode(_ point: [Float], class classIndex: Int32? = nil) -> [Float] {
        precondition(point.count == configuration.latentDim, "latent point must have \(configuration.latentDim) coordinates")
        return batchDecoder.decodeBatch(point, classes: classIndex.map { [$0] })
    }

    /// Decodes many latent points at once (`points.count / latentDim` of them): row r of the result holds
    /// the `inputSize` pixel probabilities of point r, of class `classes[r]` for a conditional model.
    /// Large batches are split over two threads.
    public func decodeBatch(_ points: [Float], classes: [Int32]? = nil) -> [Float] {
        batchDecoder.decodeBatch(points, classes: classes)
    }

    // Every entry point below that reads images takes `classes`: for a conditional model the class index
    // of each image (`ClassMap.indices(of:)`), so codes and scores are those of q(z | x, y) and
    // p(x | y); nil for an unconditional model.

    /// Latent means of every image in `images`: `[count, latentDim]` row-major.
    public func encodeMeans(_ images: ImageSet, classes: [Int32]? = nil, batchSize requested: Int = 512) -> [Float] {
        encodeGaussians(images, classes: classes, batchSize: requested).mean
    }

    /// The encoder's q(z|x) (q(z|x, y) given `classes`) for every image in `images`: means and
    /// log-variances, each `[count, latentDim]` row-major.
    public func encodeGaussians(_ images: ImageSet, classes: [Int32]? = nil, batchSize requested: Int = 512) -> (mean: [Float], logVariance: [Float]) {
        let l = configuration.latentDim
        let step = workspace(requested)
        let batchSize = min(requested, step.batchCapacity)
        var means = [Float](repeating: 0, count: images.count * l), logVariances = means
        for start in stride(from: 0, to: images.count, by: batchSize) {
            let end = min(start + batchSize, images.count)
            step.loadBatch(images, classes: classes, indices: Array(start ..< end)[...])
            step.encodeMeans()
            for i in 0 ..< (end - start) * l {
                means[start * l + i] = step.mean.storage[i]
                logVariances[start * l + i] = step.logVariance.storage[i]
            }
        }
        return (means, logVariances)
    }

    /// The loss per image: one sample of z per image with a fixed seed, as the reference does. For a
    /// conditional model it bounds -log p(x | y), not -log p(x).
    public func negativeELBO(_ images: ImageSet, classes: [Int32]? = nil, seed: UInt64 = 0, batchSize requested: Int = 512) -> LossParts {
        guard images.count > 0 else { return LossParts() }
        let step = workspace(requested)
        let batchSize = min(requested, step.batchCapacity)
        var generator = SeededGenerator(seed: seed)
        var total = LossParts()
        for start in stride(from: 0, to: images.count, by: batchSize) {
            step.loadBatch(images, classes: classes, indices: Array(start ..< min(start + batchSize, images.count))[...])
            total = total + step.forward(using: &generator)
        }
        return total.scaled(by: 1 / Double(images.count))
    }

    /// The importance-weighted bound on log p(x) per image, averaged over `images` (nats; its negative
    /// is an upper bound on the negative log-likelihood, tighter than the negative ELBO for K > 1).
    /// `samples` (K) draws of z per image, with a fixed seed; at most `batchSize` images at a time, their
    /// K samples decoded together (`importanceWorkspace`). `progress` is told how many images are done.
    public func importanceWeightedBound(_ images: ImageSet, classes: [Int32]? = nil, samples: Int, seed: UInt64 = 0,
                                        batchSize: Int = 128,
                                        progress: (_ done: Int, _ of: Int) -> Void = { _, _ in }) -> Double {
        guard images.count > 0 else { return 0 }
        let (step, batchSize) = importanceWorkspace(samples: samples, images: batchSize)
        var generator = SeededGenerator(seed: seed)
        var total: Double = 0
        for start in stride(from: 0, to: images.count, by: batchSize) {
            step.loadBatch(images, classes: classes, indices: Array(start ..< min(start + batchSize, images.count))[...])
            total += step.importanceWeightedBounds(samples: samples, using: &generator).reduce(0, +)
            progress(min(start + batchSize, images.count), images.count)
        }
        return total / Double(images.count)
    }

    /// Rows one decoder pass of the importance-weighted bound aims at: the K samples of several images
    /// at once (40 at K = 100), so that the first decoder layer's product is long enough for the BLAS
    /// kernels to run near their peak, and the threads, which take a pass's images one at a time, wait
    /// for each other at its end once every 40 images rather than every 10; a pass's activations stay
    /// within `ModelConfiguration.largestBatch`.
    static let importanceRowsPerPass = 4_096

    /// A workspace for the importance-weighted bound with K = `samples`, and how many images to load at
    /// once (at most `images`): as many as fill its rows with their K samples, at least one.
    func importanceWorkspace(samples: Int, images: Int) -> (step: TrainingStep, images: Int) {
        let step = workspace(max(images, Self.importanceRowsPerPass))
        return (step, max(1, min(images, step.batchCapacity, step.batchCapacity / samples)))
    }

    /// A batch workspace of at least `requested` rows (within the memory budget), made once and reused.
    func workspace(_ requested: Int) -> TrainingStep {
        let batchSize = min(requested, configuration.largestBatch)
        if let w = batchWorkspace, w.batchCapacity >= batchSize { return w }
        let w = TrainingStep(model: model, batchCapacity: batchSize, pool: pool)
        batchWorkspace = w
        return w
    }
}
