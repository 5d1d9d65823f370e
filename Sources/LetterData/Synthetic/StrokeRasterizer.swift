#if canImport(Glibc)
import Glibc
#endif

/// Draws polylines with a round pen onto a 28x28 float canvas, with the soft edges of EMNIST's blurred
/// and resampled scans: a pixel at distance d from the pen's centre line, where the pen's radius is r,
/// gets ink Φ((r - d) / σ), Φ the standard normal CDF: the profile of a pen's edge blurred by a
/// Gaussian of deviation σ. Where strokes overlap the darker ink wins. `normalizedBytes` scales the
/// darkest pixel to 255, as EMNIST does.
struct StrokeRasterizer {
    static let side = ImageSet.side
    /// For each pixel, the largest r - d over the strokes drawn so far (how far inside the nearest pen
    /// edge it lies, in pixels): ink is a monotone function of it, so it is applied once at the end.
    private var depth = [Float](repeating: -.infinity, count: ImageSet.pixelCount)
    private let inverseBlur: Float
    /// How far past the pen's edge ink still shows (Φ(-3) * 255 < 0.5: it rounds to 0).
    private let reachBeyondPen: Float

    init(blur: Float) {
        inverseBlur = 1 / max(blur, 0.05)
        reachBeyondPen = 3 * max(blur, 0.05)
    }

    /// Φ on [-4, 4] in steps of 1/64, linearly interpolated.
    private static let cdfTable: [Float] = (0 ... 512).map { step -> Float in
        let x = Float(step) / 64 - 4
        return 0.5 * erfcf(-x * Float(0.5).squareRoot())
    }

    private static func cdf(_ x: Float) -> Float {
        let position = (min(max(x, -4), 4) + 4) * 64
        let index = min(Int(position), 511)
        let fraction = position - Float(index)
        return cdfTable[index] + (cdfTable[index + 1] - cdfTable[index]) * fraction
    }

    /// Draws the segment a-b (pixel coordinates, pixel centres at integer + 0.5); the pen's radius goes
    /// linearly from `radiusA` at a to `radiusB` at b.
    mutating func drawSegment(_ a: GlyphPoint, _ b: GlyphPoint, radiusA: Float, radiusB: Float) {
        let reach = max(radiusA, radiusB) + reachBeyondPen
        let side = Self.side
        let minX = max(0, Int((min(a.x, b.x) - reach).rounded(.down))), maxX = min(side - 1, Int((max(a.x, b.x) + reach).rounded(.up)))
        let minY = max(0, Int((min(a.y, b.y) - reach).rounded(.down))), maxY = min(side - 1, Int((max(a.y, b.y) + reach).rounded(.up)))
        guard minX <= maxX, minY <= maxY else { return }
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        let lengthSquared = dx * dx + dy * dy
        let inverseLengthSquared: Float = lengthSquared > 0 ? 1 / lengthSquared : 0
        depth.withUnsafeMutableBufferPointer { depth in
            for y in minY ... maxY {
                let py = Float(y) + 0.5 - a.y
                for x in minX ... maxX {
                    let px = Float(x) + 0.5 - a.x
                    // Distance to the segment: project onto it, clamped to its ends.
                    let t = min(max((px * dx + py * dy) * inverseLengthSquared, 0), 1)
                    let (ex, ey) = (px - t * dx, py - t * dy)
                    let inside = radiusA + (radiusB - radiusA) * t - (ex * ex + ey * ey).squareRoot()
                    if inside > depth[y * side + x] { depth[y * side + x] = inside }
                }
            }
        }
    }

    /// Draws a polyline; `radii` holds the pen's radius at each point. A single point is a dot.
    mutating func drawPolyline(_ points: [GlyphPoint], radii: [Float]) {
        precondition(points.count == radii.count, "one radius per point")
        if points.count == 1 { drawSegment(points[0], points[0], radiusA: radii[0] * 1.15, radiusB: radii[0] * 1.15); return }
        for i in 0 ..< points.count - 1 { drawSegment(points[i], points[i + 1], radiusA: radii[i], radiusB: radii[i + 1]) }
    }

    /// Ink in [0, 1] per pixel.
    var ink: [Float] { depth.map { Self.cdf($0 * inverseBlur) } }

    /// The ink as bytes, scaled so that the darkest pixel is 255.
    var normalizedBytes: [UInt8] {
        let ink = self.ink
        let peak = ink.max() ?? 0
        guard peak > 0 else { return [UInt8](repeating: 0, count: ink.count) }
        let scale = 255 / peak
        return ink.map { UInt8(min($0 * scale, 255).rounded()) }
    }
}
