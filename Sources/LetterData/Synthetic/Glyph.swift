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
    /// An arc's ellipse and angles: a hand varies them as a whole (`arcPoints`), since wobbling each
    /// of its dense points would make it look shaky.
    var arc: ArcShape?
    var isArc: Bool { arc != nil }

    init(_ points: [(Float, Float)], smooth: Bool = false) {
        self.points = points.map { GlyphPoint($0.0, $0.1) }
        self.smooth = smooth
    }

    /// An elliptical arc from `from` to `to` degrees (0 = right, 90 = up, counter-clockwise), as a
    /// polyline dense enough to look round.
    static func arc(center: (Float, Float), radii: (Float, Float), from: Float, to: Float) -> Stroke {
        let shape = ArcShape(centre: GlyphPoint(center.0, center.1), radii: radii, from: from, to: to)
        var stroke = Stroke([], smooth: true)
        stroke.points = shape.points()
        stroke.arc = shape
        return stroke
    }

    /// The stroke as a polyline: smooth strokes are sampled along their Catmull-Rom curve, each span
    /// in chords of at most `maxChord` glyph units (0.1 is about 2 pixels: at EMNIST's blur a curve
    /// drawn in such chords looks round). Arcs are dense already.
    func polyline(maxChord: Float = 0.1) -> [GlyphPoint] {
        guard smooth, !isArc, points.count >= 3 else { return points }
        var out: [GlyphPoint] = []
        for i in 0 ..< points.count - 1 {
            let p0 = points[max(i - 1, 0)], p1 = points[i], p2 = points[i + 1], p3 = points[min(i + 2, points.count - 1)]
            let span = ((p2.x - p1.x) * (p2.x - p1.x) + (p2.y - p1.y) * (p2.y - p1.y)).squareRoot()
            let samples = max(2, Int((span / maxChord).rounded(.up)))
            for step in 0 ..< samples {
                let t = Float(step) / Float(samples)
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

/// An elliptical arc: centre and radii in glyph units, angles in degrees (0 = right, 90 = up,
/// counter-clockwise).
struct ArcShape {
    var centre: GlyphPoint
    var radii: (x: Float, y: Float)
    var from: Float
    var to: Float

    /// Points every 15 degrees or closer (a chord of about 2 pixels on a letter-sized ring), the
    /// radius scaled by `wobble(angle)` (angle in radians).
    func points(wobble: (Float) -> Float = { _ in 1 }) -> [GlyphPoint] {
        let steps = max(4, Int(abs(to - from) / 15))
        return (0 ... steps).map { step in
            let angle = (from + (to - from) * Float(step) / Float(steps)) * .pi / 180
            let scale = wobble(angle)
            return GlyphPoint(centre.x + radii.x * scale * cosf(angle), centre.y - radii.y * scale * sinf(angle))
        }
    }
}
