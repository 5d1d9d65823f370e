import FileFormats

/// Reading one picture of a letter from a file: a PNG (through libpng) or a PGM/PBM/PPM, told apart
/// by their first bytes, never by the name.
public enum LetterImageFile {
    /// The largest image file read: 64 MiB holds a phone camera's PNG with room to spare, and a larger
    /// file is refused from its size alone.
    public static let maximumFileBytes = 64 << 20

    /// The picture in `path`; every refusal is one `ImageReadError` or `DataError` line.
    public static func read(_ path: String) throws -> RasterImage {
        let file: RegularFile
        do { file = try RegularFile(path, limit: maximumFileBytes) } catch DataError.tooLarge {
            throw ImageReadError.tooLarge(path: path, limit: maximumFileBytes)
        }
        let bytes = try file.read(offset: 0, count: file.size)
        return try decode(bytes, path: path)
    }

    /// The picture in `bytes` (a whole file), by its signature.
    public static func decode(_ bytes: [UInt8], path: String) throws -> RasterImage {
        if PNGDecoder.hasSignature(bytes) { return try PNGDecoder.decode(bytes, path: path) }
        if PNMDecoder.hasMagic(bytes) { return try PNMDecoder.decode(bytes, path: path) }
        throw ImageReadError.unknownFormat(path: path)
    }
}
