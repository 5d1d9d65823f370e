/// A prepared 28x28 letter moved by a fraction of a pixel, resampled bilinearly: where a photo's
/// preparation puts EMNIST's pixel grid is only known to within about half a pixel, and `LetterReader`
/// reads a letter over a few such shifts so that its verdict does not hang on that.
public enum SubpixelShift {
    /// `pixels` (28x28 bytes, row-major) moved right by `dx` and down by `dy` pixels; what comes in from
    /// beyond the edge is background (0). The distortions' resampling with the identity map.
    public static func shifted(_ pixels: [UInt8], dx: Float, dy: Float) -> [UInt8] {
        LetterDistortion.resampled(pixels[...], inverse: (1, 0, 0, 1), shift: (dx, dy))
    }
}
