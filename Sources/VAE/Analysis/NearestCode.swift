/// The stored code nearest a query point (Euclidean): which real letter a generated one is closest to.
public enum NearestCode {
    /// Index and distance of the row of `codes` (`[count, dimension]`) nearest `query`; nil when empty.
    public static func find(_ query: [Float], in codes: [Float], dimension: Int) -> (index: Int, distance: Float)? {
        precondition(query.count == dimension, "the query needs \(dimension) coordinates")
        let count = codes.count / dimension
        guard count > 0 else { return nil }
        var best = (index: 0, squared: Float.infinity)
        codes.withUnsafeBufferPointer { rows in
            for row in 0 ..< count {
                var d: Float = 0
                for j in 0 ..< dimension {
                    let diff = rows[row * dimension + j] - query[j]
                    d += diff * diff
                }
                if d < best.squared { best = (row, d) }
            }
        }
        return (best.index, best.squared.squareRoot())
    }
}
