import CZlib

/// A minimal PNG writer for 8-bit greyscale and RGB images: signature, IHDR, one zlib-compressed IDAT
/// (each row prefixed by filter type 0), IEND; chunk CRCs from zlib's crc32.
public enum PNGEncoder {
    public static func encodeGray(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        encode(width: width, height: height, pixels: pixels, channels: 1)
    }

    /// `pixels` holds r, g, b bytes per pixel, row by row.
    public static func encodeRGB(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        encode(width: width, height: height, pixels: pixels, channels: 3)
    }

    private static func encode(width: Int, height: Int, pixels: [UInt8], channels: Int) -> [UInt8] {
        precondition(width > 0 && height > 0 && pixels.count == width * height * channels, "pixels must fill width x height")
        let stride = width * channels
        var raw = [UInt8]()
        raw.reserveCapacity((stride + 1) * height)
        for row in 0 ..< height {
            raw.append(0)
            raw.append(contentsOf: pixels[row * stride ..< (row + 1) * stride])
        }
        var compressedLength = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedLength))
        let status = compress2(&compressed, &compressedLength, raw, uLong(raw.count), 9)
        precondition(status == Z_OK, "zlib compress2 failed with \(status) on a correctly sized buffer")

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        // Bit depth 8, colour type 0 (grey) or 2 (RGB), deflate, adaptive filtering, no interlace.
        header += [8, channels == 3 ? 2 : 0, 0, 0, 0]
        appendChunk("IHDR", header, to: &png)
        appendChunk("IDAT", Array(compressed[0 ..< Int(compressedLength)]), to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        let typeAndData = Array(type.utf8) + data
        png += bigEndian(UInt32(data.count)) + typeAndData
        png += bigEndian(UInt32(crc32(0, typeAndData, uInt(typeAndData.count))))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}
