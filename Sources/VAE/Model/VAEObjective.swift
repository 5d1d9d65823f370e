import Foundation

/// What training minimises, per image: the negative ELBO with the KL term weighted by β
/// (Higgins et al. 2017, "β-VAE"):
///
///     objective = reconstruction + β * KL(q(z|x) || N(0, I))
///     reconstruction = -log p(x|z) under `likelihood` (Bernoulli: binary cross-entropy from logits)
///
/// β = 1 is the true negative ELBO, a bound on -log p(x); β > 1 presses the codes towards the prior
/// (more overlap, smoother planes), β < 1 lets them spread (sharper reconstructions, emptier gaps).
/// Scores a user compares (the test neg ELBO, the importance-weighted bound) always use β = 1: only
/// the gradient and the choice of epoch use the training β.
public struct VAEObjective: Sendable, Equatable, CustomStringConvertible {
    /// The decoder's distribution of a pixel given z.
    public enum Likelihood: String, Sendable, CaseIterable {
        /// Each pixel in [0, 1] is the probability of ink: -log p(x|z) = Σ BCE(sigmoid(logit), x).
        case bernoulli
    }

    public var likelihood: Likelihood
    /// β, the weight of the KL term.
    public var klWeight: Double

    /// The β values `train --beta` and the explorer accept: 0 turns the VAE into a plain autoencoder
    /// with noise; beyond 1000 the codes collapse onto the prior within a batch or two.
    public static let klWeightRange: ClosedRange<Double> = Contract.shared.klWeights

    /// The true negative ELBO: Bernoulli pixels, β = 1.
    public static let elbo = VAEObjective()

    public init(likelihood: Likelihood = .bernoulli, klWeight: Double = 1) {
        self.likelihood = likelihood
        self.klWeight = klWeight
    }

    /// The objective's value for measured loss parts (per image or summed, as `parts` are).
    public func value(of parts: LossParts) -> Double {
        parts.reconstruction + klWeight * parts.kl
    }

    /// Throws a one-line reason unless β is finite and in `klWeightRange`.
    public func validate() throws {
        guard klWeight.isFinite, Self.klWeightRange.contains(klWeight) else {
            throw ModelError.invalidConfiguration(
                "the KL weight β must be between \(Self.format(Self.klWeightRange.lowerBound)) and \(Self.format(Self.klWeightRange.upperBound)), not \(Self.format(klWeight))")
        }
    }

    /// "β = 4, bernoulli likelihood".
    public var description: String { "β = \(Self.format(klWeight)), \(likelihood.rawValue) likelihood" }

    /// A decimal string without a needless fraction: "1", "0.5", "4", "0.125" (the metadata's form).
    public static func format(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Parses `format`'s output (and any decimal number); nil when it is not one.
    public static func parseKLWeight(_ text: String) -> Double? {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else { return nil }
        return value
    }
}
