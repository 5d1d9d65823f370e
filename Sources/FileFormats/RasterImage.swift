/// A picture read from an image file, reduced to what a letter needs: one luminance byte per pixel,
/// row-major, 0 black and 255 white, as the eye sees the file (transparency shown over white paper,
/// the way viewers show it). Whether the ink is dark or light is decided later, by `LetterPreparation`.
public struct RasterImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width * height` luminance values.
    public let luminance: [UInt8]

    /// The most pixels an image file may announce: 40 megapixels (a 7,300 x 5,500 phone photo fits)
    /// holds the decoded RGBA buffer to 160 MB. A header announcing more is refused before anything of
    /// its size is allocated.
    public static let maximumPixels = 40_000_000

    public init(width: Int, height: Int, luminance: [UInt8]) {
        precondition(width > 0 && height > 0 && luminance.count == width * height, "one luminance byte per pixel")
        self.width = width
        self.height = height
        self.luminance = luminance
    }

    /// Rec. 601 luma of an sRGB pixel, rounded: the weights sum to 1, so grey stays grey.
    @inline(__always)
    static func luma(red: UInt8, green: UInt8, blue: UInt8) -> UInt8 {
        let r: Int = 299 * Int(red), g: Int = 587 * Int(green), b: Int = 114 * Int(blue)
        return UInt8((r + g + b + 500) / 1000)
    }

    /// `value` seen over white paper with opacity `alpha` (0 transparent, 255 opaque).
    @inline(__always)
    static func overWhite(_ value: UInt8, alpha: UInt8) -> UInt8 {
        let a = Int(alpha)
        let seen: Int = Int(value) * a + 255 * (255 - a)
        return UInt8((seen + 127) / 255)
    }

    /// Whether `width x height` is a size this program decodes: both positive and at most
    /// `maximumPixels` in all, multiplied with an overflow check.
    static func acceptable(width: Int, height: Int) -> Bool {
        guard width > 0, height > 0 else { return false }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        return !overflow && pixels <= maximumPixels
    }
}
