import FileFormats

/// The file format of a picture, taken from the output path's extension: a drawing (PNG, SVG), or the
/// images it shows as data (IDX, plain or gzipped: `ImageStack`).
public enum PictureFormat: String, Sendable, CaseIterable {
    case png, svg
    /// An IDX unsigned-byte image file (magic 0x803) of the picture's images, upright, in reading order.
    case idx
    /// The same, gzip-compressed, as MNIST's and EMNIST's downloads are.
    case idxGzip = "idx.gz"

    /// The kind of file a picture of this format is, for the write policy (a PNG replaces only a PNG).
    public var outputKind: OutputKind {
        switch self {
        case .png: return .png
        case .svg: return .svg
        case .idx: return .idx
        case .idxGzip: return .idxGzip
        }
    }

    /// The format `path` names (case-insensitive), or nil for any other extension.
    public init?(path: String) {
        let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
        for format in Self.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count }) {
            let suffix = "." + format.rawValue
            if name.hasSuffix(suffix), name.count > suffix.count {
                self = format
                return
            }
        }
        return nil
    }

    /// The one-line reason a path is refused.
    public static func refusal(_ path: String) -> String {
        "\(path): pictures are written as .png or .svg, or as image data in .idx or .idx.gz; the format follows the file name's extension"
    }

    /// Whether the format holds the images as data rather than a drawing of them.
    public var isImageData: Bool { self == .idx || self == .idxGzip }

    /// The most output pixels a PNG may have (its raw rows are held in memory before compression).
    public static let maximumPNGPixels = 150_000_000
    /// The most tile pixels an SVG may hold (each run of them is text in the file).
    public static let maximumSVGTilePixels = 4_000_000

    /// Why `picture` at `scale` is too large to write in this format, or nil when it is not.
    public func sizeProblem(_ picture: TilePicture, scale: Int) -> String? {
        let layout = picture.layout
        switch self {
        case .png:
            let (side, sideOverflow) = layout.width.multipliedReportingOverflow(by: scale)
            let (other, otherOverflow) = layout.height.multipliedReportingOverflow(by: scale)
            let (pixels, overflow) = side.multipliedReportingOverflow(by: other)
            guard sideOverflow || otherOverflow || overflow || pixels > Self.maximumPNGPixels else { return nil }
            return "the picture would be \(layout.width)x\(layout.height) units at scale \(scale), more than \(Self.maximumPNGPixels / 1_000_000) million pixels: lower --scale or the number of images"
        case .svg:
            let pixels = picture.rows * picture.columns * picture.tileWidth * picture.tileHeight
            guard pixels > Self.maximumSVGTilePixels else { return nil }
            return "\(picture.rows * picture.columns) images are too many for an SVG (at most \(Self.maximumSVGTilePixels / (picture.tileWidth * picture.tileHeight))): write a .png"
        case .idx, .idxGzip:
            // The images were decoded (or read) in memory already, within `DecodedSheet`'s cap: their
            // bytes are no more than that.
            return nil
        }
    }

    /// The bytes of `picture` in this format.
    public func encode(_ picture: TilePicture, scale: Int) throws -> [UInt8] {
        switch self {
        case .png: return picture.png(scale: scale).bytes
        case .svg: return Array(picture.svg(scale: scale).utf8)
        case .idx, .idxGzip:
            let images = picture.images
            let bytes = try IDXWriter.images(images.pixels, count: images.count, rows: images.height, columns: images.width)
            return self == .idx ? bytes : IDXWriter.gzip(bytes)
        }
    }
}
