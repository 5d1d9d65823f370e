import Support
#if canImport(Glibc)
import Glibc
#endif

/// Small random affine distortions of a letter (rotation, shear, scale, shift), the training trick of
/// Simard et al. 2003: a scarce letter repeated many times within a large mix then shows a different
/// hand each time instead of the same bytes, so a model learns a style from it rather than the image.
///
/// The ranges stay inside what writers do to one letter: a slant of a few degrees either way, a little
/// narrower or shorter, off-centre by a pixel or two. None of them turns one letter into another
/// (a q rotated 12° is still a q; a 180° turn would make it a b).
public enum LetterDistortion {
    /// Rotation about the image centre: up to 12° either way.
    public static let maximumRotation: Float = 12 * .pi / 180
    /// Horizontal shear (x += shear · y): up to 0.2 either way, about 11° more or less slant.
    public static let maximumShear: Float = 0.2
    /// Each axis is scaled by a factor in this range on its own: EMNIST frames a letter to fill the
    /// image, so mostly smaller (a scale above 1 would crop its edges).
    public static let scaleRange: ClosedRange<Float> = 0.85 ... 1.05
    /// Shift in pixels on each axis, either way.
    public static let maximumShift: Float = 1.5

    /// One distorted copy of a 28x28 image (784 bytes, row-major): every output pixel samples the
    /// source bilinearly at the inverse map of its centre; outside the source is background (0).
    public static func distorted<G: RandomNumberGenerator>(_ image: ArraySlice<UInt8>, using generator: inout G) -> [UInt8] {
        func uniform(_ range: ClosedRange<Float>) -> Float { Float.random(in: range, using: &generator) }
        let angle = uniform(-maximumRotation ... maximumRotation)
        let shear = uniform(-maximumShear ... maximumShear)
        let (scaleX, scaleY) = (uniform(scaleRange), uniform(scaleRange))
        let (shiftX, shiftY) = (uniform(-maximumShift ... maximumShift), uniform(-maximumShift ... maximumShift))
        // Forward map about the centre c: p' = R · H · S · (p - c) + c + t, with S = diag(sx, sy),
        // H = [[1, shear], [0, 1]] and R the rotation. Its matrix M = R·H·S is inverted once.
        let (cosine, sine) = (cosf(angle), sinf(angle))
        let m00 = cosine * scaleX, m01 = (cosine * shear - sine) * scaleY
        let m10 = sine * scaleX, m11 = (sine * shear + cosine) * scaleY
        let determinant = m00 * m11 - m01 * m10
        let inverse = (m11 / determinant, -m01 / determinant, -m10 / determinant, m00 / determinant)
        return resampled(image, inverse: inverse, shift: (shiftX, shiftY))
    }

    /// A 28x28 image (784 bytes, row-major) under an affine map about the image centre c: every output
    /// pixel p samples the source bilinearly at `inverse` · (p - c - shift) + c, rounded to a byte;
    /// outside the source is background (0). `inverse` is the row-major 2x2 (i00, i01, i10, i11).
    static func resampled(_ image: ArraySlice<UInt8>, inverse: (Float, Float, Float, Float),
                          shift: (x: Float, y: Float)) -> [UInt8] {
        precondition(image.count == ImageSet.pixelCount, "28x28 images")
        let (i00, i01, i10, i11) = inverse
        let side = ImageSet.side
        let centre = Float(side - 1) / 2
        let source = image.map(Float.init)
        var output = [UInt8](repeating: 0, count: ImageSet.pixelCount)
        source.withUnsafeBufferPointer { source in
            for row in 0 ..< side {
                for column in 0 ..< side {
                    let dx = Float(column) - centre - shift.x, dy = Float(row) - centre - shift.y
                    let x = i00 * dx + i01 * dy + centre, y = i10 * dx + i11 * dy + centre
                    let value = LetterPreparation.bilinear(source, width: side, height: side, x: x, y: y)
                    output[row * side + column] = UInt8(min(255, max(0, value.rounded())))
                }
            }
        }
        return output
    }
}

extension ImageSet {
    /// Image `i` `copies[i]` times: the first copy as it is, each later one distorted
    /// (`LetterDistortion`), seeded by (`seed`, the copy's position), so the result does not depend on
    /// how many cores make it. Images keep their order, each followed by its copies.
    public func distortedCopies(_ copies: [Int], seed: UInt64) -> ImageSet {
        precondition(copies.count == count && copies.allSatisfy { $0 >= 1 }, "at least one copy of each image")
        let firsts = copies.reduce(into: [0]) { $0.append($0.last! + $1) }
        let chunks = Parallel.mapChunks(count: count) { range -> [UInt8] in
            var bytes: [UInt8] = []
            bytes.reserveCapacity((firsts[range.upperBound] - firsts[range.lowerBound]) * ImageSet.pixelCount)
            for index in range {
                bytes += image(index)
                for copy in 1 ..< copies[index] {
                    var generator = SeededGenerator(seed: seed, stream: firsts[index] + copy)
                    bytes += LetterDistortion.distorted(image(index), using: &generator)
                }
            }
            return bytes
        }
        let newLabels = zip(labels, copies).flatMap { Array(repeating: $0.0, count: $0.1) }
        return ImageSet(pixels: chunks.flatMap { $0 }, labels: newLabels)
    }
}
