/// Which latent dimensions a model uses (Burda et al. 2015, section 5.2): a dimension is active when
/// its posterior mean moves with the input, i.e. when Var_x(E_q(z|x)[z_d]) over a data set exceeds a
/// threshold. An inactive dimension's mean sits at the prior's whatever the image: the KL term has
/// switched it off (more of them as β grows).
public enum ActiveUnits {
    /// Burda et al.'s threshold on the variance of the posterior mean.
    public static let varianceThreshold = 0.01

    /// The variance over the rows of each of the `dimension` columns of `codes` (`[count, dimension]`,
    /// the posterior means of a data set), divided by the count (the population variance).
    public static func variances(codes: [Float], dimension: Int) -> [Double] {
        precondition(dimension > 0 && codes.count % dimension == 0, "codes must be [count, dimension]")
        let count = codes.count / dimension
        guard count > 0 else { return [Double](repeating: 0, count: dimension) }
        var mean = [Double](repeating: 0, count: dimension), square = mean
        for row in 0 ..< count {
            for d in 0 ..< dimension {
                let value = Double(codes[row * dimension + d])
                mean[d] += value
                square[d] += value * value
            }
        }
        // Shifted by the mean before squaring would be steadier; codes are O(1), so E[x²] - E[x]² in
        // Double loses nothing that matters against a threshold of 0.01.
        return (0 ..< dimension).map { d in
            let m = mean[d] / Double(count)
            return max(0, square[d] / Double(count) - m * m)
        }
    }

    /// The number of dimensions whose variance exceeds `threshold`.
    public static func count(codes: [Float], dimension: Int, threshold: Double = varianceThreshold) -> Int {
        variances(codes: codes, dimension: dimension).filter { $0 > threshold }.count
    }
}
