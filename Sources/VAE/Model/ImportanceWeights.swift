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
extension TrainingStep {
    /// L_K for each `input` row (for a conditional model, the bound on log p(x | y) for the `classes`
    /// loaded), in nats (higher is better): encodes once, then draws K noise samples
    /// from `generator` and decodes each. Leaves `noise`, `z` and `logits` holding the last sample.
    public func importanceWeightedBounds(samples: Int, using generator: inout SeededGenerator) -> [Double] {
        precondition(samples >= 1, "at least one sample")
        let batch = input.rows
        let (n, l) = (input.columns, mean.columns)
        pass.encode(input, classes: classes, mean: mean, logVariance: logVariance)
        noise.rows = batch
        var logWeights = [Double](repeating: 0, count: samples * batch)   // [K, B]
        for k in 0 ..< samples {
            for i in 0 ..< noise.count { noise.storage[i] = generator.nextGaussian() }
            VAEModel.reparameterize(mean: mean, logVariance: logVariance, noise: noise, into: z)
            pass.decode(z, classes: classes, logits: logits)
            for row in 0 ..< batch {
                let logLikelihood: Double
                switch objective.likelihood {
                case .bernoulli:
                    logLikelihood = -lx_bce_with_logits(logits.storage + row * n, input.storage + row * n, nil, n, 1)
                }
                var logPriorOverPosterior: Double = 0
                for j in row * l ..< (row + 1) * l {
                    let (zj, eps, lv) = (Double(z.storage[j]), Double(noise.storage[j]), Double(logVariance.storage[j]))
                    logPriorOverPosterior -= 0.5 * (zj * zj - eps * eps - lv)
                }
                logWeights[k * batch + row] = logLikelihood + logPriorOverPosterior
            }
        }
        return (0 ..< batch).map { row in
            Self.logMeanExp((0 ..< samples).map { logWeights[$0 * batch + row] })
        }
    }

    /// log(1/K Σ exp(values)), without overflow or underflow; -inf for no values or all -inf.
    static func logMeanExp(_ values: [Double]) -> Double {
        guard let largest = values.max(), largest.isFinite else { return values.max() ?? -.infinity }
        let sum = values.reduce(0) { $0 + exp($1 - largest) }
        return largest + log(sum) - log(Double(values.count))
    }
}
