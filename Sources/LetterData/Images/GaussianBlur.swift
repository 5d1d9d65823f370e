import Foundation

/// A separable Gaussian blur with the edges held at 0 (no ink beyond the picture).
public enum GaussianBlur {
    /// The kernel reaches 3σ each side, where the Gaussian has fallen below 1.2 % of its peak.
    static let radiusInSigmas: Float = 3

    /// `values` (`width * height`, row-major) blurred by a Gaussian of standard deviation `sigma` pixels.
    public static func apply(_ values: [Float], width: Int, height: Int, sigma: Float) -> [Float] {
        precondition(sigma > 0 && values.count == width * height, "a positive σ and one value per pixel")
        let radius = max(1, Int((radiusInSigmas * sigma).rounded(.up)))
        var kernel = (-radius ... radius).map { exp(-Float($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        var rows = [Float](repeating: 0, count: values.count)
        for y in 0 ..< height {
            for x in 0 ..< width {
                var sum: Float = 0
                for k in -radius ... radius where x + k >= 0 && x + k < width { sum += values[y * width + x + k] * kernel[k + radius] }
                rows[y * width + x] = sum
            }
        }
        var out = [Float](repeating: 0, count: values.count)
        for y in 0 ..< height {
            for x in 0 ..< width {
                var sum: Float = 0
                for k in -radius ... radius where y + k >= 0 && y + k < height { sum += rows[(y + k) * width + x] * kernel[k + radius] }
                out[y * width + x] = sum
            }
        }
        return out
    }
}
