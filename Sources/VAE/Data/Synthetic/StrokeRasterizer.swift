/// Draws polylines with a round pen onto a 28x28 float canvas, anti-aliased: a pixel's ink falls
/// linearly from full, within the pen's radius, to none one pixel further out, which gives the soft
/// edges of EMNIST's downsampled scans.
struct StrokeRasterizer {
    static let side = ImageSet.side
    private(set) var canvas = [Float](repeating: 0, count: ImageSet.pixelCount)

    /// Draws the segment a-b (pixel coordinates, pixel centres at integer + 0.5) with pen `radius`.
    mutating func drawSegment(_ a: GlyphPoint, _ b: GlyphPoint, radius: Float, ink: Float) {
        let reach = radius + 1
        let side = Self.side
        let minX = max(0, Int((min(a.x, b.x) - reach).rounded(.down))), maxX = min(side - 1, Int((max(a.x, b.x) + reach).rounded(.up)))
        let minY = max(0, Int((min(a.y, b.y) - reach).rounded(.down))), maxY = min(side - 1, Int((max(a.y, b.y) + reach).rounded(.up)))
        guard minX <= maxX, minY <= maxY else { return }
        let (dx, dy) = (b.x - a.x, b.y - a.y)
        let lengthSquared = dx * dx + dy * dy
        for y in minY ... maxY {
            for x in minX ... maxX {
                let (px, py) = (Float(x) + 0.5 - a.x, Float(y) + 0.5 - a.y)
                // Distance to the segment: project onto it, clamped to its ends.
                let t = lengthSquared > 0 ? min(max((px * dx + py * dy) / lengthSquared, 0), 1) : 0
                let (ex, ey) = (px - t * dx, py - t * dy)
                let distance = (ex * ex + ey * ey).squareRoot()
                let coverage = min(max(radius + 0.5 - distance, 0), 1) * ink
                if coverage > canvas[y * side + x] { canvas[y * side + x] = coverage }
            }
        }
    }

    mutating func drawPolyline(_ points: [GlyphPoint], radius: Float, ink: Float) {
        if points.count == 1 { drawSegment(points[0], points[0], radius: radius * 1.15, ink: ink); return }
        for i in 0 ..< points.count - 1 { drawSegment(points[i], points[i + 1], radius: radius, ink: ink) }
    }

    var bytes: [UInt8] { canvas.map { UInt8(($0 * 255).rounded()) } }
}
