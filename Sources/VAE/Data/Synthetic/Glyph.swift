#if canImport(Glibc)
import Glibc
#endif

/// A point of a glyph skeleton in glyph units: x to the right, y downwards; capitals span y 0...1,
/// small letters have their x-height at 0.42...1, ascenders from 0 and descenders to about 1.35.
struct GlyphPoint {
    var x: Float
    var y: Float
    init(_ x: Float, _ y: Float) { self.x = x; self.y = y }
}

/// One pen stroke: the pen goes down at the first point and up at the last. A smooth stroke passes
/// through its points on a Catmull-Rom curve; otherwise the points are joined by straight lines.
/// A stroke of one point is a dot.
struct Stroke {
    var points: [GlyphPoint]
    var smooth: Bool
    /// Arcs are sampled densely; wobbling each of their points would make them look shaky.
    var isArc = false

    init(_ points: [(Float, Float)], smooth: Bool = false) {
        self.points = points.map { GlyphPoint($0.0, $0.1) }
        self.smooth = smooth
    }

    /// An elliptical arc from `from` to `to` degrees (0 = right, 90 = up, counter-clockwise), as a
    /// polyline dense enough to look round.
    static func arc(center: (Float, Float), radii: (Float, Float), from: Float, to: Float) -> Stroke {
        let steps = max(4, Int(abs(to - from) / 15))
        let points = (0 ... steps).map { step -> (Float, Float) in
            let angle = (from + (to - from) * Float(step) / Float(steps)) * .pi / 180
            return (center.0 + radii.0 * cosf(angle), center.1 - radii.1 * sinf(angle))
        }
        var stroke = Stroke(points, smooth: true)
        stroke.isArc = true
        return stroke
    }

    /// The stroke as a polyline: smooth strokes are sampled along their Catmull-Rom curve.
    func polyline(samplesPerSpan: Int = 6) -> [GlyphPoint] {
        guard smooth, points.count >= 3 else { return points }
        var out: [GlyphPoint] = []
        for i in 0 ..< points.count - 1 {
            let p0 = points[max(i - 1, 0)], p1 = points[i], p2 = points[i + 1], p3 = points[min(i + 2, points.count - 1)]
            for step in 0 ..< samplesPerSpan {
                let t = Float(step) / Float(samplesPerSpan)
                let t2 = t * t, t3 = t2 * t
                // Uniform Catmull-Rom: passes through p1 at t = 0 and p2 at t = 1.
                func blend(_ a: Float, _ b: Float, _ c: Float, _ d: Float) -> Float {
                    0.5 * (2 * b + (c - a) * t + (2 * a - 5 * b + 4 * c - d) * t2 + (3 * b - a - 3 * c + d) * t3)
                }
                out.append(GlyphPoint(blend(p0.x, p1.x, p2.x, p3.x), blend(p0.y, p1.y, p2.y, p3.y)))
            }
        }
        out.append(points[points.count - 1])
        return out
    }
}
