import CPng

/// Reads a PNG of any bit depth (1 to 16), colour type (grey, RGB, palette, with or without alpha or a
/// tRNS transparency) and interlacing through libpng's simplified API, which reports errors in its
/// return value (libpng's classic API longjmps, which Swift cannot survive). An APNG is read as its
/// default image, as every viewer without animation support shows it. 16-bit samples without a gAMA
/// chunk are taken as linear light, as libpng's simplified API does, and encoded as sRGB: the levels
/// move, their order does not, and the preparation reads ink relative to the paper anyway.
///
/// Memory stays bounded whatever the file says: libpng reads the header first, the announced size is
/// checked against `RasterImage.maximumPixels` before the pixel buffer is allocated, and libpng's own
/// limits cap ancillary chunks.
public enum PNGDecoder {
    /// The eight bytes every PNG starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Bytes per decoded pixel: libpng is asked for 8-bit sRGB RGBA whatever the file holds.
    static let decodedChannels = 4

    public static func hasSignature(_ bytes: [UInt8]) -> Bool {
        bytes.count >= signature.count && Array(bytes.prefix(signature.count)) == signature
    }

    /// Decodes `bytes` (the whole file); `path` names it in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws -> RasterImage {
        guard hasSignature(bytes) else { throw ImageReadError.unknownFormat(path: path) }
        var image = png_image()
        image.version = png_uint_32(cpng_image_version)
        defer { png_image_free(&image) }
        let begun = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard begun != 0 else { throw failure(&image, path: path) }
        let width = Int(image.width), height = Int(image.height)
        guard RasterImage.acceptable(width: width, height: height) else {
            throw ImageReadError.badDimensions(path: path, width: width, height: height)
        }
        image.format = png_uint_32(cpng_format_rgba)
        var rgba = [UInt8](repeating: 0, count: width * height * decodedChannels)
        let finished = rgba.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else { throw failure(&image, path: path) }
        var luminance = [UInt8](repeating: 0, count: width * height)
        for p in 0 ..< width * height {
            let base = p * decodedChannels
            let grey = RasterImage.luma(red: rgba[base], green: rgba[base + 1], blue: rgba[base + 2])
            luminance[p] = RasterImage.overWhite(grey, alpha: rgba[base + 3])
        }
        return RasterImage(width: width, height: height, luminance: luminance)
    }

    /// libpng's message as our error: a stream that ends early is `truncated`, the rest keep libpng's words.
    private static func failure(_ image: inout png_image, path: String) -> ImageReadError {
        let message = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let lower = message.lowercased()
        if lower.contains("read error") || lower.contains("not enough") || lower.contains("truncated")
            || lower.contains("unexpected end") {
            return .truncated(path: path)
        }
        return .malformedPNG(path: path, reason: message.isEmpty ? "libpng gave no reason" : message)
    }
}
