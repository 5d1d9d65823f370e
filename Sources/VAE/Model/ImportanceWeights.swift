import CKernels
import Support
#if canImport(Glibc)
import Glibc
#endif

/// The importance-weighted bound on log p(x) (Burda, Grosse & Salakhutdinov 2015, "Importance
/// Weighted Autoencoders"), per image, with K samples z_k ~ q(z|x):
///
///     log w_k = log p(x|z_k) + log p(z_k) - log q(z_k|x)
///             = -BCE(x, decoder(z_k)) - 1/2 Σ_latent (z_k² - eps_k² - logvar)      (the log 2π cancel)
///     L_K     = log (1/K Σ_k w_k) = max_k log w_k + log Σ_k exp(log w_k - max) - log K
///
/// L_1 is a one-sample ELBO; L_K ≤ L_{K+1} ≤ log p(x) in expectation, and L_K → log p(x) as K grows.
/// Log weights of real images are around -100 to -300 nats, so exp(log w) would underflow Float and
/// Double alike: the sum is taken after subtracting the largest (log-sum-exp).
///
/// The K samples are decoded together: with B images loaded and room for R rows, each decoder pass
/// takes S = min(K, R / B) samples of every image as one [S*B, L] batch (sample-major: row s*B + b is
/// sample s of image b), so the decoder's products are [S*B, hidden] by [hidden, N] instead of K
/// products of B rows. The noise is drawn in the same order as K passes of B rows would draw it, so the
/// bounds do not depend on how many samples share a pass.
extension TrainingStep {
    /// L_K for each `input` row (for a conditional model, the bound on log p(x | y) for the `classes`
    /// loaded), in nats (higher is better): encodes once, then draws K noise samples from `generator`
    /// and decodes them as many at a time as `batchCapacity` holds (see above). Leaves `noise`, `z` and
    /// `logits` holding the last pass's samples and `classes` (when conditional) its rows repeated.
    public func importanceWeightedBounds(samples: Int, using generator: inout SeededGenerator) -> [Double] {
        precondition(samples >= 1, "at least one sample")
        let batch = input.rows
        guard batch > 0 else { return [] }
        let l = mean.columns
        pass.encode(input, classes: classes, mean: mean, logVariance: logVariance)
        let perPass = max(1, min(samples, batchCapacity / batch))
        repeatClasses(times: perPass, batch: batch)
        var logWeights = [Double](repeating: 0, count: samples * batch)   // [K, B]
        var first = 0
        while first < samples {
            let count = min(perPass, samples - first), rows = count * batch
            noise.rows = rows; z.rows = rows; classes?.rows = rows
            for i in 0 ..< rows * l { noise.storage[i] = generator.nextGaussian() }
            for row in 0 ..< rows {
                let image = row % batch
                for j in 0 ..< l {
                    let (m, lv) = (mean.storage[image * l + j], logVariance.storage[image * l + j])
                    z.storage[row * l + j] = m + expf(0.5 * lv) * noise.storage[row * l + j]
                }
            }
            logWeights.withUnsafeMutableBufferPointer { weights in
                let into = weights.baseAddress! + first * batch
                let fused: Bool
                switch objective.likelihood {
                case .bernoulli:
                    fused = pass.decodeLikelihoods(z, classes: classes, logits: logits, groupedBy: batch, images: input, into: into)
                }
                if !fused { pass.decode(z, classes: classes, logits: logits, groupedBy: batch) }
                scoreSamples(rows: rows, batch: batch, likelihoodsWritten: fused, into: into)
            }
            first += count
        }
        classes?.rows = batch
        return (0 ..< batch).map { row in
            Self.logMeanExp((0 ..< samples).map { logWeights[$0 * batch + row] })
        }
    }

    /// Copies the `batch` rows of `classes` (a conditional model's) into `times` consecutive blocks.
    private func repeatClasses(times: Int, batch: Int) {
        guard let classes, times > 1 else { return }
        let width = batch * classes.columns
        for block in 1 ..< times {
            (classes.storage + block * width).update(from: classes.storage, count: width)
        }
    }

    /// log w for `rows` decoded samples (row r is a sample of image r mod `batch`): the likelihood of
    /// the image under the logits (or, `likelihoodsWritten`, the one the decoder's fused output layer
    /// already wrote to weights[r]) plus log p(z) - log q(z|x), written to weights[r]. The rows are
    /// split over the pool's threads: the cross-entropies (N exponentials and logarithms a row) cost
    /// as much as the decoder's products.
    private func scoreSamples(rows: Int, batch: Int, likelihoodsWritten: Bool, into weights: UnsafeMutablePointer<Double>) {
        let (n, l) = (input.columns, mean.columns)
        let likelihood = objective.likelihood
        pool.forEachPart(of: rows) { _, range in
            for row in range {
                let image = row % batch
                let logLikelihood: Double
                switch likelihood {
                case .bernoulli where likelihoodsWritten:
                    logLikelihood = weights[row]
                case .bernoulli:
                    logLikelihood = -lx_bce_with_logits(logits.storage + row * n, input.storage + image * n, nil, n, 1)
                }
                var logPriorOverPosterior: Double = 0
                for j in 0 ..< l {
                    let zj = Double(z.storage[row * l + j]), eps = Double(noise.storage[row * l + j])
                    let lv = Double(logVariance.storage[image * l + j])
                    logPriorOverPosterior -= 0.5 * (zj * zj - eps * eps - lv)
                }
                weights[row] = logLikelihood + logPriorOverPosterior
            }
        }
    }

    /// log(1/K Σ exp(values)), without overflow or underflow; -inf for no values or all -inf.
    static func logMeanExp(_ values: [Double]) -> Double {
        guard let largest = values.max(), largest.isFinite else { return values.max() ?? -.infinity }
        let sum = values.reduce(0) { $0 + exp($1 - largest) }
        return largest + log(sum) - log(Double(values.count))
    }
}
