"""The Swift program's seeded random numbers, reproduced draw for draw, so that PyTorch holds out the
same validation images and scores with the same reparameterisation noise as the Swift trainer.

- `SeededGenerator`: xoshiro256** seeded through SplitMix64 (Sources/Support/SeededGenerator.swift).
- `shuffle`: the Swift standard library's `MutableCollection.shuffle(using:)`, a forward Fisher-Yates
  whose draws are `Int.random(in: 0 ..< amount)`, i.e. Lemire's multiply-high `next(upperBound:)`.
- `stratified_split`: `ImageSet.stratifiedSplit(heldOutFraction:seed:)`.
- `test_partition`: `TestPartition` (held-out, validation and rest of a real test split).
- `gaussians`: `SeededGenerator.nextGaussian()` (Box-Muller in float32), the noise of `Inference.negativeELBO`.

The fixture test (`Tests/VAETests/PyTorchEquivalenceTests.swift`) checks the split and the noise
against the Swift code itself.
"""
import numpy as np

MASK = (1 << 64) - 1
# Swift's `Float.pi` is pi rounded toward zero (0x40490FDA), one ulp below float32(pi).
SWIFT_FLOAT_PI = np.array([0x40490FDA], dtype=np.uint32).view(np.float32)[0]


def _rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


class SeededGenerator:
    """xoshiro256**, seeded by SplitMix64: the same 64-bit stream as the Swift `SeededGenerator(seed:)`."""

    def __init__(self, seed: int):
        x = seed & MASK
        state = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & MASK
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
            state.append(z ^ (z >> 31))
        self.s = state

    # 2^64 / phi, odd (`SeededGenerator.streamMultiplier`): spreads neighbouring seeds apart.
    STREAM_MULTIPLIER = 0x9E3779B97F4A7C15

    @classmethod
    def stream(cls, seed: int, stream: int):
        """`SeededGenerator(seed:stream:)`: seed * multiplier + stream, wrapping."""
        return cls((seed * cls.STREAM_MULTIPLIER + stream) & MASK)

    def next(self) -> int:
        s0, s1, s2, s3 = self.s
        result = (_rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 17) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 45)
        self.s = [s0, s1, s2, s3]
        return result

    def next_below(self, upper: int) -> int:
        """Uniform in 0 ..< upper, as Swift's `next(upperBound:)` (Lemire's method, with its rejection)."""
        product = self.next() * upper
        low = product & MASK
        if low < upper:
            threshold = ((1 << 64) - upper) % upper
            while low < threshold:
                product = self.next() * upper
                low = product & MASK
        return product >> 64


def shuffle(items: list, generator: SeededGenerator) -> None:
    """Shuffles `items` in place exactly as Swift's `shuffle(using:)` does with the same generator."""
    amount = len(items)
    current = 0
    while amount > 1:
        offset = generator.next_below(amount)
        amount -= 1
        items[current], items[current + offset] = items[current + offset], items[current]
        current += 1


def stratified_split(labels, fraction: float, seed: int):
    """(kept, held_out) index arrays, ascending: per class in label order, after a shuffle of the class's
    indices with one generator seeded by `seed`, the first round(count * fraction) are held out. Swift's
    `rounded()` rounds halves away from zero, as `floor(x + 0.5)` does for the non-negative counts here."""
    labels = np.asarray(labels)
    generator = SeededGenerator(seed)
    held_out = np.zeros(len(labels), dtype=bool)
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label).tolist()
        shuffle(members, generator)
        take = int(np.floor(len(members) * fraction + 0.5))
        held_out[members[:take]] = True
    return np.flatnonzero(~held_out), np.flatnonzero(held_out)


def gaussians(seed: int, count: int) -> np.ndarray:
    """`count` float32 draws of `SeededGenerator(seed:).nextGaussian()`: u = top 24 bits / 2^24,
    sqrt(-2 log(max(u1, 1e-7))) cos(2 pi u2), in float32 as the Swift code computes it."""
    generator = SeededGenerator(seed)
    bits = np.array([generator.next() >> 40 for _ in range(2 * count)], dtype=np.float32)
    uniforms = bits * np.float32(1.0 / 16_777_216.0)
    u1 = np.maximum(uniforms[0::2], np.float32(1e-7))
    u2 = uniforms[1::2]
    two_pi = np.float32(2) * SWIFT_FLOAT_PI
    return (np.sqrt(np.float32(-2) * np.log(u1)) * np.cos(two_pi * u2)).astype(np.float32)


# TestPartition's fractions and seed (Sources/LetterData/TestPartition.swift).
PARTITION_HELD_OUT, PARTITION_VALIDATION, PARTITION_SEED = 0.25, 0.10, 11_2025


def test_partition(labels, held_out_fraction=PARTITION_HELD_OUT, validation_fraction=PARTITION_VALIDATION,
                   seed=PARTITION_SEED):
    """(held_out, validation, rest) ascending index arrays of a real test split, as `TestPartition`: per
    class, a Fisher-Yates shuffle (backwards, draws `next() % (i + 1)`) from the class's own stream, then
    a quarter rounded up held out and a tenth rounded down validating."""
    labels = np.asarray(labels)
    parts = ([], [], [])
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label).tolist()
        generator = SeededGenerator.stream(seed, int(label))
        for i in range(len(members) - 1, 0, -1):
            j = generator.next() % (i + 1)
            members[i], members[j] = members[j], members[i]
        held = int(np.ceil(len(members) * held_out_fraction))
        validating = min(int(len(members) * validation_fraction), len(members) - held)
        parts[0].extend(members[:held])
        parts[1].extend(members[held:held + validating])
        parts[2].extend(members[held + validating:])
    return tuple(np.array(sorted(part), dtype=np.int64) for part in parts)
