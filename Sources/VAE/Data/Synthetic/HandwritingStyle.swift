#if canImport(Glibc)
import Glibc
#endif

/// The random choices that make one drawing of a letter look like one person's handwriting.
struct HandwritingStyle {
    /// Standard deviation of the wobble added to each hand-placed skeleton point, in glyph units.
    var jitter: Float
    /// A smooth random warp of the whole glyph: two low-frequency waves per axis, (amplitude,
    /// frequency, phase), so curves bend like a hand's rather than shake point by point.
    var warp: [(amplitude: Float, frequency: Float, phase: Float)]
    /// Horizontal shear: positive leans the letter to the right, as most writers do.
    var slant: Float
    /// Rotation in radians.
    var rotation: Float
    /// Horizontal stretch (1 = as designed).
    var aspect: Float
    /// Pen width in pixels of the final 28x28 image.
    var penWidth: Float
    /// Longest side of the letter in pixels (EMNIST fits letters to a 20x20 box in 28x28).
    var size: Float
    /// Offset of the letter's centre from the image centre, in pixels.
    var offset: (x: Float, y: Float)
    /// Peak ink, as a fraction of 255.
    var ink: Float

    init<G: RandomNumberGenerator>(using generator: inout G) {
        func uniform(_ low: Float, _ high: Float) -> Float { Float.random(in: low ... high, using: &generator) }
        jitter = uniform(0.01, 0.035)
        warp = (0 ..< 4).map { _ in (uniform(0, 0.05), uniform(1.5, 4.5), uniform(0, 2 * .pi)) }
        slant = uniform(-0.15, 0.35)
        rotation = uniform(-0.12, 0.12)
        aspect = uniform(0.75, 1.2)
        penWidth = uniform(1.6, 3.2)
        size = uniform(17, 21)
        offset = (uniform(-1, 1), uniform(-1, 1))
        ink = uniform(0.85, 1)
    }

    /// Skeleton point -> shaped point (still in glyph units, before fitting to the image).
    func shape(_ p: GlyphPoint) -> GlyphPoint {
        let wx = p.x + warp[0].amplitude * sinf(warp[0].frequency * p.y + warp[0].phase)
            + warp[1].amplitude * sinf(warp[1].frequency * p.x + warp[1].phase)
        let wy = p.y + warp[2].amplitude * sinf(warp[2].frequency * p.x + warp[2].phase)
            + warp[3].amplitude * sinf(warp[3].frequency * p.y + warp[3].phase)
        let x = wx * aspect - slant * (wy - 0.5)
        let (c, s) = (cosf(rotation), sinf(rotation))
        return GlyphPoint(c * x - s * wy, s * x + c * wy)
    }
}
