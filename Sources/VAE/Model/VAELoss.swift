import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// The VAE's loss per image, summed over the batch (callers divide by the batch size):
///
///     reconstruction = Σ_pixels BCE(sigmoid(logit), x) = Σ softplus(logit) - x * logit
///     kl             = -1/2 Σ_latent (1 + logvar - mu² - exp(logvar))        (KL(q(z|x) || N(0, I)))
///
/// BCE is taken from logits so that saturated pixels never produce log(0): softplus(l) is computed as
/// max(l, 0) + log1p(exp(-|l|)), which is finite for every finite l. The pass over the pixels is the
/// vectorised C kernel `lx_bce_with_logits`, which writes the gradient in the same pass.
public struct LossParts: Sendable, Equatable {
    public var reconstruction: Double
    public var kl: Double
    public var total: Double { reconstruction + kl }

    public init(reconstruction: Double = 0, kl: Double = 0) {
        self.reconstruction = reconstruction
        self.kl = kl
    }

    public static func + (a: LossParts, b: LossParts) -> LossParts {
        LossParts(reconstruction: a.reconstruction + b.reconstruction, kl: a.kl + b.kl)
    }

    public func scaled(by factor: Double) -> LossParts {
        LossParts(reconstruction: reconstruction * factor, kl: kl * factor)
    }
}

enum VAELoss {
    /// Reconstruction loss summed over `[rows, columns]` logits against targets `x`; when `gradient` is
    /// given, also writes dL/dlogit = (sigmoid(logit) - x) * scale into it, in the same pass.
    static func reconstruction(logits: Matrix, targets x: Matrix, gradient: Matrix?, scale: Float,
                               pool: ComputePool) -> Double {
        gradient?.rows = logits.rows
        // The rows split over `pool`; the partial sums added in a fixed order.
        return pool.sum(of: logits.rows) { rows in
            reconstruction(logits: logits, targets: x, gradient: gradient, scale: scale, block: (rows, 0 ..< logits.columns))
        }
    }

    /// The same over one block (rows, columns) only (`gradient`'s rows already set), for a pass that
    /// has just written it.
    static func reconstruction(logits: Matrix, targets x: Matrix, gradient: Matrix?, scale: Float,
                               block: (rows: Range<Int>, columns: Range<Int>)) -> Double {
        var total: Double = 0
        logits.forEachRun(of: block) { offset, count in
            total += lx_bce_with_logits(logits.storage + offset, x.storage + offset, gradient.map { $0.storage + offset },
                                        count, scale)
        }
        return total
    }

    /// KL divergence summed over the batch.
    static func kl(mean: Matrix, logVariance: Matrix) -> Double {
        var total: Double = 0
        for i in 0 ..< mean.count {
            let m = mean.storage[i], lv = logVariance.storage[i]
            total += Double(-0.5 * (1 + lv - m * m - expf(lv)))
        }
        return total
    }
}
