/// Principal components of a cloud of latent codes: the directions along which the codes vary most.
///
/// The covariance `C = (1/N) Σ (x - μ)(x - μ)ᵀ` (`[D, D]`) is diagonalised with cyclic Jacobi
/// rotations, which is exact to rounding for the small symmetric matrices of latent spaces (D ≤ 64).
/// Each component is a unit vector, sign-fixed so its largest entry is positive: the same codes
/// always give the same picture, and retraining does not flip the plane at random.
public struct PrincipalComponents: Equatable, Sendable {
    public let dimension: Int
    /// Mean of the codes (`D` values).
    public let mean: [Float]
    /// Components by decreasing variance, each `D` values.
    public let components: [[Float]]
    /// Variance of the codes along each component.
    public let variances: [Float]
    /// Each component's share of the total variance (0 when the codes do not vary).
    public let explainedVarianceRatios: [Float]

    /// `codes` is `[count, dimension]` row-major.
    public init(codes: [Float], dimension: Int) {
        precondition(dimension > 0 && codes.count % dimension == 0, "codes must be whole rows of the dimension")
        self.dimension = dimension
        let count = codes.count / dimension
        var mean = [Double](repeating: 0, count: dimension)
        for row in 0 ..< count { for j in 0 ..< dimension { mean[j] += Double(codes[row * dimension + j]) } }
        if count > 0 { for j in 0 ..< dimension { mean[j] /= Double(count) } }

        var covariance = [Double](repeating: 0, count: dimension * dimension)
        var centred = [Double](repeating: 0, count: dimension)
        for row in 0 ..< count {
            for j in 0 ..< dimension { centred[j] = Double(codes[row * dimension + j]) - mean[j] }
            for i in 0 ..< dimension {
                let ci = centred[i]
                for j in i ..< dimension { covariance[i * dimension + j] += ci * centred[j] }
            }
        }
        for i in 0 ..< dimension {
            for j in i ..< dimension {
                let value = count > 0 ? covariance[i * dimension + j] / Double(count) : 0
                covariance[i * dimension + j] = value
                covariance[j * dimension + i] = value
            }
        }

        let (values, vectors) = Self.eigen(symmetric: covariance, dimension: dimension)
        let order = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }
        let total = values.reduce(0) { $0 + max($1, 0) }
        self.mean = mean.map(Float.init)
        components = order.map { column in
            var vector = (0 ..< dimension).map { vectors[$0 * dimension + column] }
            let largest = vector.indices.max { abs(vector[$0]) < abs(vector[$1]) || (abs(vector[$0]) == abs(vector[$1]) && $0 > $1) }!
            if vector[largest] < 0 { vector = vector.map { -$0 } }
            return vector.map(Float.init)
        }
        variances = order.map { Float(max(values[$0], 0)) }
        explainedVarianceRatios = order.map { total > 0 ? Float(max(values[$0], 0) / total) : 0 }
    }

    /// Eigenvalues and eigenvectors (columns of a `[D, D]` row-major matrix) of a symmetric matrix, by
    /// cyclic Jacobi: each rotation zeroes one off-diagonal pair; sweeps repeat until the off-diagonal
    /// part is negligible next to the diagonal.
    static func eigen(symmetric matrix: [Double], dimension n: Int) -> (values: [Double], vectors: [Double]) {
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { v[i * n + i] = 1 }
        for _ in 0 ..< 100 {
            var offDiagonal = 0.0, diagonal = 0.0
            for i in 0 ..< n {
                diagonal += a[i * n + i] * a[i * n + i]
                for j in i + 1 ..< n { offDiagonal += a[i * n + j] * a[i * n + j] }
            }
            if offDiagonal <= 1e-22 * max(diagonal, 1e-300) { break }
            for p in 0 ..< n {
                for q in p + 1 ..< n where a[p * n + q] != 0 {
                    // The angle that zeroes a[p][q]: tan(2θ) = 2 a_pq / (a_qq - a_pp), in its stable form.
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0 ..< n {   // A ← A J (columns p and q)
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0 ..< n {   // A ← Jᵀ A (rows p and q)
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0 ..< n {   // V ← V J
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0 ..< n).map { a[$0 * n + $0] }, v)
    }
}
