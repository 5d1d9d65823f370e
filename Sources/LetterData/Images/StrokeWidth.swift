/// The width of a letter's strokes, and how to bring it to EMNIST's: a thin ballpoint line framed to
/// 28x28 is a pixel wide, where NIST's letters were written with a pen that leaves 2 to 3 pixels.
///
/// The width is `LetterMeasures.strokeWidth` (stroke area over the skeleton's length) of the prepared
/// 28x28; the same measure on EMNIST's own letters gives the figures below.
public enum StrokeWidth {
    /// `LetterMeasures.strokeWidth` of the real EMNIST test letters (the partial copy's 8,265): the
    /// median, and the 10th and 90th percentiles, between which a width is EMNIST's own (its 1,000
    /// training letters give 1.97, 2.83, 4.09).
    public static let emnistMedian: Float = 2.74
    public static let emnistThinnest: Float = 1.94
    public static let emnistThickest: Float = 4.04
    /// Rounds of thickening at most (`LetterPreparation.prepare(ink:)`): a 3-pixel pen on a 300-pixel
    /// letter needs two, as the width measure cannot go much below a pixel.
    public static let maximumCorrections = 3

    /// The stroke width of a prepared 28x28 letter (`pixels` 0...1).
    public static func estimate(_ pixels: [Float]) -> Float {
        estimate(bytes: LetterPreparation.bytes(pixels))
    }

    /// The stroke width of a prepared 28x28 letter as bytes (0...255).
    public static func estimate(bytes: [UInt8]) -> Float {
        Float(LetterMeasures(image: bytes[...]).strokeWidth)
    }

    /// The radius (in the source picture's pixels) by which to thicken a letter whose prepared strokes
    /// are `width` output pixels wide, `scale` source pixels per output pixel: to EMNIST's median when
    /// thinner than its 10th percentile, else 0. Strokes are never thinned: an erosion wipes out the
    /// thin parts of a letter (a hairline, the dot of an i) before it narrows a thick one, and a broad
    /// pen's letter is still its letter at 28x28.
    public static func correction(width: Float, scale: Float) -> Int {
        guard width > 0, width < emnistThinnest else { return 0 }
        return Int(((emnistMedian - width) / 2 * scale).rounded())
    }

    /// Grey dilation of `values` by a square of side 2 `radius` + 1: a running maximum along the rows,
    /// then along the columns; beyond the picture nothing counts.
    public static func dilate(_ values: [Float], width: Int, height: Int, radius: Int) -> [Float] {
        let rows = pass(values, width: width, height: height, radius: radius, alongRows: true)
        return pass(rows, width: width, height: height, radius: radius, alongRows: false)
    }

    private static func pass(_ values: [Float], width: Int, height: Int, radius: Int, alongRows: Bool) -> [Float] {
        guard radius > 0 else { return values }
        var out = values
        values.withUnsafeBufferPointer { v in
            for y in 0 ..< height {
                for x in 0 ..< width {
                    var best = v[y * width + x]
                    for d in -radius ... radius where d != 0 {
                        let xx = alongRows ? x + d : x, yy = alongRows ? y : y + d
                        if xx >= 0 && yy >= 0 && xx < width && yy < height { best = max(best, v[yy * width + xx]) }
                    }
                    out[y * width + x] = best
                }
            }
        }
        return out
    }
}
