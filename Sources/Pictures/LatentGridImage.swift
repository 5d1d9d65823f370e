import VAE

/// The classic picture of a VAE's latent space: an N x N grid of decoded images over [-R, R]^2 in the
/// plane of two latent dimensions, the others held at an anchor code (0 by default). Up is +y, as on a
/// plot: the top row decodes y = +R. A 1-D latent space gives a single row.
public enum LatentGridImage {
    /// Which latent dimensions the picture's axes show (0-based), and where the others are held.
    public struct Plane: Sendable, Equatable {
        public var xDimension: Int
        /// nil for a 1-D latent space: the grid is one row.
        public var yDimension: Int?
        /// A full latent code (`latentDim` values); the axes' own entries are ignored.
        public var anchor: [Float]

        public init(xDimension: Int, yDimension: Int?, anchor: [Float]) {
            self.xDimension = xDimension
            self.yDimension = yDimension
            self.anchor = anchor
        }

        /// Dimensions 1 and 2 (or the only one) with the others at 0.
        public static func standard(latentDim: Int) -> Plane {
            Plane(xDimension: 0, yDimension: latentDim > 1 ? 1 : nil, anchor: [Float](repeating: 0, count: latentDim))
        }
    }

    /// The decoded images of the grid, row by row from the top (y = +range) and left to right, each of
    /// `ImageSet.pixelCount` probabilities, with the x and y coordinates of the columns and rows. A
    /// conditional model draws class `letter` at every point (its plane holds the style).
    public static func decode(_ inference: Inference, size: Int, range: Float, plane: Plane? = nil, letter: Int32? = nil)
        -> (rows: Int, columns: Int, decoded: [Float], xValues: [Float], yValues: [Float]) {
        let latentDim = inference.configuration.latentDim
        let plane = plane ?? .standard(latentDim: latentDim)
        precondition(plane.anchor.count == latentDim, "the anchor must have \(latentDim) coordinates")
        let rows = plane.yDimension == nil ? 1 : size
        let xValues = (0 ..< size).map { coordinate($0, size, range) }
        let yValues = plane.yDimension == nil ? [] : (0 ..< size).map { coordinate(size - 1 - $0, size, range) }
        var points: [Float] = []
        for row in 0 ..< rows {
            for column in 0 ..< size {
                var point = plane.anchor
                point[plane.xDimension] = xValues[column]
                if let y = plane.yDimension { point[y] = yValues[row] }
                points += point
            }
        }
        return (rows, size, inference.decodeBatch(points, classes: letter.map { [Int32](repeating: $0, count: rows * size) }), xValues, yValues)
    }

    /// Rows of the grid: `size`, or one for a 1-D latent space.
    public static func rows(size: Int, plane: Plane) -> Int { plane.yDimension == nil ? 1 : size }

    /// Evenly spaced over [-range, range], ends included.
    static func coordinate(_ i: Int, _ count: Int, _ range: Float) -> Float {
        count == 1 ? 0 : -range + 2 * range * Float(i) / Float(count - 1)
    }
}
