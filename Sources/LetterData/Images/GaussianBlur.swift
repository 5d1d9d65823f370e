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
        // Rows, then columns; pointers keep a photo's million taps quick in debug builds too.
        let rows = pass(values, kernel: kernel, radius: radius, count: width, lines: height, step: 1, lineStep: width)
        return pass(rows, kernel: kernel, radius: radius, count: height, lines: width, step: width, lineStep: 1)
    }

    /// One 1-D pass over `lines` lines of `count` values, `step` apart within a line, `lineStep` between lines.
    private static func pass(_ values: [Float], kernel: [Float], radius: Int, count: Int, lines: Int, step: Int, lineStep: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: values.count) { out, initialized in
            values.withUnsafeBufferPointer { v in
                kernel.withUnsafeBufferPointer { k in
                    for line in 0 ..< lines {
                        let start = line * lineStep
                        for i in 0 ..< count {
                            let lo = max(-radius, -i), hi = min(radius, count - 1 - i)
                            var sum: Float = 0
                            var t = lo
                            while t <= hi {
                                sum += v[start + (i + t) * step] * k[t + radius]
                                t += 1
                            }
                            out[start + i * step] = sum
                        }
                    }
                }
            }
            initialized = values.count
        }
    }
}
