import FileFormats
/// The file format of a picture, taken from the output path's extension.
public enum PictureFormat: String, Sendable, CaseIterable {
    case png, svg

    /// The kind of file a picture of this format is, for the write policy (a PNG replaces only a PNG).
    public var outputKind: OutputKind { self == .png ? .png : .svg }

    /// The format `path` names (case-insensitive), or nil for any other extension.
    public init?(path: String) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        self.init(rawValue: name[name.index(after: dot)...].lowercased())
    }

    /// The one-line reason a path is refused.
    public static func refusal(_ path: String) -> String {
        "\(path): pictures are written as .png or .svg; the format follows the file name's extension"
    }

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
        }
    }

    /// The bytes of `picture` in this format.
    public func encode(_ picture: TilePicture, scale: Int) -> [UInt8] {
        switch self {
        case .png: return picture.png(scale: scale).bytes
        case .svg: return Array(picture.svg(scale: scale).utf8)
        }
    }
}
