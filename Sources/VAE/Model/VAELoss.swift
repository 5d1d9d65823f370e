#if canImport(Glibc)
import Glibc
#endif

/// The VAE's loss per image, summed over the batch (callers divide by the batch size):
///
///     reconstruction = Σ_pixels BCE(sigmoid(logit), x) = Σ softplus(logit) - x * logit
///     kl             = -1/2 Σ_latent (1 + logvar - mu² - exp(logvar))        (KL(q(z|x) || N(0, I)))
///
/// BCE is taken from logits so that saturated pixels never produce log(0): softplus(l) is computed as
/// max(l, 0) + log1p(exp(-|l|)), which is exact and finite for every finite l.
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
    static func reconstruction(logits: Matrix, targets x: Matrix, gradient: Matrix?, scale: Float) -> Double {
        let n = logits.count
        let l = logits.storage, t = x.storage
        var total: Double = 0
        // Sum rows in Float and the row sums in Double: accurate to ~1e-6 relative, and vectorisable.
        let columns = logits.columns
        for r in 0 ..< logits.rows {
            var rowSum: Float = 0
            let base = r * columns
            if let g = gradient?.storage {
                for j in base ..< base + columns {
                    let v = l[j]
                    let e = expf(-abs(v))                 // in (0, 1]: never overflows
                    rowSum += max(v, 0) + log1pf(e) - t[j] * v
                    let sigmoid = v >= 0 ? 1 / (1 + e) : e / (1 + e)
                    g[j] = (sigmoid - t[j]) * scale
                }
            } else {
                for j in base ..< base + columns {
                    let v = l[j]
                    rowSum += max(v, 0) + log1pf(expf(-abs(v))) - t[j] * v
                }
            }
            total += Double(rowSum)
        }
        _ = n
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
