/// A small, fast, seedable PRNG (xoshiro256**, seeded through SplitMix64): the same seed gives the
/// same stream on every machine, which makes data generation, initialisation and shuffling reproducible.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The generator of one of many independent streams under one seed (a class, a chunk of work):
    /// each stream's draws then do not depend on how many the others make.
    public init(seed: UInt64, stream: Int) {
        self.init(seed: seed &* Self.streamMultiplier &+ UInt64(bitPattern: Int64(stream)))
    }

    /// 2^64 / φ, odd: spreads neighbouring seeds apart before SplitMix64 mixes them.
    private static let streamMultiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1) from the top 24 bits.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Standard normal by Box–Muller (one of the pair; simplicity over speed, the VAE needs few).
    public mutating func nextGaussian() -> Float {
        let u1 = max(nextUniform(), 1e-7)
        let u2 = nextUniform()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
    }
}

#if canImport(Glibc)
import Glibc
#endif
