/// A plane through a latent space on which codes are drawn and the grid is decoded:
///
///     point(x, y) = origin + x * axes[0] + y * axes[1]
///
/// For 1-D and 2-D models the latent space itself (origin 0, unit axes; a 1-D model's second axis is
/// 0); for larger ones the plane of the two principal components of a set of codes, through their
/// mean, so that different models' pictures show their own most spread-out directions.
public struct PlaneProjection: Sendable, Equatable {
    public let dimension: Int
    public let origin: [Float]
    /// Two unit vectors (or, for a 1-D space, the second all zero), `dimension` values each.
    public let axes: [[Float]]
    /// Whether the plane is that of principal components (not the latent axes themselves).
    public let isPrincipal: Bool

    /// The plane for `codes` (`[count, dimension]`): the latent axes up to 2-D, else the PCA plane.
    public init(fitting codes: [Float], dimension: Int) {
        self.dimension = dimension
        if dimension <= 2 {
            origin = [Float](repeating: 0, count: dimension)
            axes = (0 ..< 2).map { axis in (0 ..< dimension).map { $0 == axis ? 1 : 0 } }
            isPrincipal = false
        } else {
            let pca = PrincipalComponents(codes: codes, dimension: dimension)
            origin = pca.mean
            axes = Array(pca.components.prefix(2))
            isPrincipal = true
        }
    }

    /// Plane coordinates `[count, 2]` of `codes`: projections of (code - origin) on the axes.
    public func project(_ codes: [Float]) -> [Float] {
        let count = codes.count / dimension
        var out = [Float](repeating: 0, count: count * 2)
        for row in 0 ..< count {
            for axis in 0 ..< 2 {
                var s: Float = 0
                for j in 0 ..< dimension { s += (codes[row * dimension + j] - origin[j]) * axes[axis][j] }
                out[row * 2 + axis] = s
            }
        }
        return out
    }

    /// The latent code at plane coordinates (x, y).
    public func point(x: Float, y: Float) -> [Float] {
        (0 ..< dimension).map { origin[$0] + x * axes[0][$0] + y * axes[1][$0] }
    }

    /// The half-width of a square around the origin that holds `share` of `planeCoordinates`
    /// (`[count, 2]`) on both axes: the larger |coordinate| quantile, at least `minimum`.
    public static func range(of planeCoordinates: [Float], share: Double = 0.98, minimum: Float = 0.5) -> Float {
        let magnitudes = planeCoordinates.map(abs).sorted()
        guard !magnitudes.isEmpty else { return minimum }
        let index = min(magnitudes.count - 1, Int(Double(magnitudes.count - 1) * share))
        return max(minimum, magnitudes[index])
    }
}
