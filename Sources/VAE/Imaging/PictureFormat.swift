/// The file format of a picture, taken from the output path's extension.
public enum PictureFormat: String, Sendable, CaseIterable {
    case png, svg

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

    /// The bytes of `picture` in this format.
    public func encode(_ picture: TilePicture, scale: Int) -> [UInt8] {
        switch self {
        case .png: return picture.png(scale: scale).bytes
        case .svg: return Array(picture.svg(scale: scale).utf8)
        }
    }
}
