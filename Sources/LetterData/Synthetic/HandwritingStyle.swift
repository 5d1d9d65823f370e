#if canImport(Glibc)
import Glibc
#endif

/// The random choices that make one drawing of a letter look like one person's handwriting, scanned
/// and framed the way EMNIST frames it.
///
/// The distributions are fitted to the real EMNIST letters (`latent-explorer stats` prints the real
/// and the synthetic measures side by side): pen width, blur, slant, proportions and the frame.
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
    /// Pressure: the pen's width varies along a stroke by this fraction, in a slow wave over its length.
    var pressure: (amplitude: Float, frequency: Float, phase: Float)
    /// Blur of the stroke's edge in pixels (a Gaussian's standard deviation): EMNIST blurs the scan and
    /// resamples it, so ink fades over two or three pixels, more where a small letter was scaled up.
    var blur: Float
    /// The longer side of the box around all the ink, faint edges included, in pixels: EMNIST scales
    /// each letter to fill the middle 24x24 of the 28x28 image, and resampling spreads it a little further.
    var frame: Float

    init<G: RandomNumberGenerator>(using generator: inout G) {
        func uniform(_ low: Float, _ high: Float) -> Float { Float.random(in: low ... high, using: &generator) }
        func normal(_ mean: Float, _ deviation: Float) -> Float { mean + deviation * Self.gaussian(&generator) }
        jitter = uniform(0.015, 0.05)
        warp = (0 ..< 4).map { _ in (uniform(0, 0.09), uniform(1.5, 4.5), uniform(0, 2 * .pi)) }
        slant = min(max(normal(0.16, 0.24), -0.5), 0.8)
        rotation = normal(0, 0.07)
        aspect = expf(normal(-0.12, 0.16))
        penWidth = min(max(2.7 * expf(normal(0, 0.3)), 1.4), 6.5)
        pressure = (uniform(0, 0.25), uniform(2, 6), uniform(0, 2 * .pi))
        blur = min(max(normal(0.2 + 0.1 * penWidth, 0.08), 0.25), 1.2)
        frame = uniform(23.8, 26.0)
    }

    /// How far beyond the pen's edge the faint ink reaches, in pixels (where Φ(-x / blur) * 255 drops below 1).
    var fadeDistance: Float { 2.65 * blur }

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

    /// The pen's width multiplier at `distance` (glyph units) along a stroke.
    func pressure(at distance: Float) -> Float {
        1 + pressure.amplitude * sinf(pressure.frequency * distance + pressure.phase)
    }

    /// Sum of three uniforms on [-1, 1]: variance 1, close enough to normal here, and cheap.
    static func gaussian<G: RandomNumberGenerator>(_ generator: inout G) -> Float {
        Float.random(in: -1 ... 1, using: &generator) + Float.random(in: -1 ... 1, using: &generator)
            + Float.random(in: -1 ... 1, using: &generator)
    }
}
