/// The plane of the latent space the explorer shows: `origin + x * xAxis + y * yAxis`.
///
/// Either a slice along two latent dimensions with all others held at an anchor (the axes are unit
/// vectors), or the plane of the first two principal components through the codes' mean. Axes are
/// orthonormal, so projecting a code onto the plane is two dot products.
public struct LatentPlane: Equatable, Sendable {
    public var origin: [Float]
    public var xAxis: [Float]
    /// All zeros in a 1-D latent space, where the vertical direction shows nothing.
    public var yAxis: [Float]
    /// Names of the axes: "z1", "PC1".
    public var xLabel: String
    public var yLabel: String
    /// For principal components, the share of the codes' variance along each axis.
    public var explainedVariance: (x: Float, y: Float)?

    public init(origin: [Float], xAxis: [Float], yAxis: [Float], xLabel: String, yLabel: String,
                explainedVariance: (x: Float, y: Float)? = nil) {
        precondition(origin.count == xAxis.count && origin.count == yAxis.count, "plane vectors must share the latent size")
        self.origin = origin
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.explainedVariance = explainedVariance
    }

    public static func == (a: LatentPlane, b: LatentPlane) -> Bool {
        a.origin == b.origin && a.xAxis == b.xAxis && a.yAxis == b.yAxis && a.xLabel == b.xLabel && a.yLabel == b.yLabel
            && a.explainedVariance?.x == b.explainedVariance?.x && a.explainedVariance?.y == b.explainedVariance?.y
    }

    public var dimension: Int { origin.count }

    /// The slice showing dimension `x` across and `y` up (0-based), the others held at `anchor`.
    public static func axes(x: Int, y: Int?, anchor: [Float]) -> LatentPlane {
        var origin = anchor, xAxis = [Float](repeating: 0, count: anchor.count), yAxis = xAxis
        origin[x] = 0
        xAxis[x] = 1
        if let y {
            origin[y] = 0
            yAxis[y] = 1
        }
        return LatentPlane(origin: origin, xAxis: xAxis, yAxis: yAxis, xLabel: "z\(x + 1)", yLabel: y.map { "z\($0 + 1)" } ?? "none")
    }

    /// The latent point at plane coordinates `p`.
    public func point(_ p: (x: Float, y: Float)) -> [Float] {
        var v = origin
        for j in v.indices { v[j] += p.x * xAxis[j] + p.y * yAxis[j] }
        return v
    }

    /// The parallel plane through `point`. Coordinates are kept: a code projects to the same (x, y) on
    /// both planes, since the shift, `point`'s part off the plane, is orthogonal to both axes.
    public func passing(through point: [Float]) -> LatentPlane {
        precondition(point.count == dimension, "the point must have the plane's latent size")
        let (x, y) = project(point)
        var shifted = self
        for j in point.indices { shifted.origin[j] = point[j] - x * xAxis[j] - y * yAxis[j] }
        return shifted
    }

    /// Plane coordinates of the point of the plane nearest `code`.
    public func project<C: Collection>(_ code: C) -> (x: Float, y: Float) where C.Element == Float {
        var x: Float = 0, y: Float = 0
        for (j, value) in code.enumerated() {
            let centred = value - origin[j]
            x += centred * xAxis[j]
            y += centred * yAxis[j]
        }
        return (x, y)
    }
}
