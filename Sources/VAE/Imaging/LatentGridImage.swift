/// The classic picture of a 2-D VAE's latent space: an N x N grid of decoded images over [-R, R]^2.
/// Up is +y, as on a plot: the top row decodes y = +R.
public enum LatentGridImage {
    /// Greyscale pixels of a `(size*28) x (size*28)` image (ink is white on black, like the data).
    public static func render(_ inference: Inference, size: Int, range: Float) -> (side: Int, pixels: [UInt8]) {
        precondition(inference.architecture.latentDim == 2, "the latent grid needs a 2-D latent space")
        let cell = ImageSet.side
        let side = size * cell
        var points: [Float] = []
        for row in 0 ..< size {
            for column in 0 ..< size {
                points.append(coordinate(column, size, range))
                points.append(coordinate(size - 1 - row, size, range))
            }
        }
        let decoded = inference.decodeBatch(points)
        var pixels = [UInt8](repeating: 0, count: side * side)
        for index in 0 ..< size * size {
            let (row, column) = (index / size, index % size)
            for y in 0 ..< cell {
                for x in 0 ..< cell {
                    let p = decoded[index * cell * cell + y * cell + x]
                    pixels[(row * cell + y) * side + column * cell + x] = UInt8(max(0, min(255, (p * 255).rounded())))
                }
            }
        }
        return (side, pixels)
    }

    /// Evenly spaced over [-range, range], ends included.
    static func coordinate(_ i: Int, _ count: Int, _ range: Float) -> Float {
        count == 1 ? 0 : -range + 2 * range * Float(i) / Float(count - 1)
    }
}
