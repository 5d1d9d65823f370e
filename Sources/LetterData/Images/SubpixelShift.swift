/// A prepared 28x28 letter moved by a fraction of a pixel, resampled bilinearly: where a photo's
/// preparation puts EMNIST's pixel grid is only known to within about half a pixel, and `LetterReader`
/// reads a letter over a few such shifts so that its verdict does not hang on that.
public enum SubpixelShift {
    /// `pixels` (side x side bytes, row-major) moved right by `dx` and down by `dy` pixels; what comes
    /// in from beyond the edge is background (0).
    public static func shifted(_ pixels: [UInt8], dx: Float, dy: Float, side: Int = ImageSet.side) -> [UInt8] {
        precondition(pixels.count == side * side, "one byte per pixel of a side x side image")
        let values = pixels.map { Float($0) }
        var out = [UInt8](repeating: 0, count: side * side)
        values.withUnsafeBufferPointer { v in
            for y in 0 ..< side {
                for x in 0 ..< side {
                    let value = LetterPreparation.bilinear(v, width: side, height: side, x: Float(x) - dx, y: Float(y) - dy)
                    out[y * side + x] = UInt8(max(0, min(255, value.rounded())))
                }
            }
        }
        return out
    }
}
