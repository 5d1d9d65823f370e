import Support

/// Why an image file (PNG, PGM, PBM) could not be read, in one line naming the file.
public enum ImageReadError: Error, Equatable, CustomStringConvertible {
    /// The first bytes are neither a PNG signature nor a PNM magic number (`P1`...`P6`).
    case unknownFormat(path: String)
    /// The file is larger than an image file may be.
    case tooLarge(path: String, limit: Int)
    /// The header announces a size outside 1...`RasterImage.maximumPixels` pixels.
    case badDimensions(path: String, width: Int, height: Int)
    /// The file ends before the pixels it announces.
    case truncated(path: String)
    /// The PNG decoder refused it; `reason` is libpng's message (a bad CRC, a bad chunk, ...).
    case malformedPNG(path: String, reason: String)
    /// A PGM/PBM/PPM header or pixel value is wrong; `reason` says which.
    case malformedPNM(path: String, reason: String)

    public var description: String { TextSanitizer.clean(rawDescription) }

    private var rawDescription: String {
        switch self {
        case .unknownFormat(let path):
            return "\(path) is not a PNG, PGM or PBM image (its first bytes are neither a PNG signature nor P1...P6)"
        case .tooLarge(let path, let limit):
            return "\(path) is larger than the \(limit >> 20) MiB an image file may be"
        case .badDimensions(let path, let width, let height):
            return "\(path) announces \(width)x\(height) pixels; images of 1 to \(RasterImage.maximumPixels / 1_000_000) million pixels are read"
        case .truncated(let path):
            return "\(path) is truncated: it ends before the pixels its header announces"
        case .malformedPNG(let path, let reason):
            return "\(path) is not a readable PNG: \(reason)"
        case .malformedPNM(let path, let reason):
            return "\(path) is not a readable PGM/PBM: \(reason)"
        }
    }
}
