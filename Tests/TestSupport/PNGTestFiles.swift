import CZlib
import Foundation

/// PNG files of every kind, written byte by byte for the image-reader tests: any bit depth and colour
/// type, palettes and tRNS, Adam7 interlacing, APNG's animation chunks, and deliberately broken ones
/// (a bad CRC, a header announcing a huge size, a truncated stream). Independent of `PNGEncoder` (which
/// writes 8-bit grey and RGB only), so the reader is checked against a second writer.
public enum PNGTestFiles {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// PNG colour types and their channels per pixel.
    public static func channels(colourType: Int) -> Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colourType]! }

    public static func bigEndian(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }

    public static func chunk(_ type: String, _ data: [UInt8], corruptCRC: Bool = false) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        var crc = (typeBytes + data).withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        if corruptCRC { crc ^= 0xDEAD_BEEF }
        return bigEndian(UInt32(data.count)) + typeBytes + data + bigEndian(crc)
    }

    public static func header(width: UInt32, height: UInt32, bitDepth: Int, colourType: Int, interlaced: Bool = false) -> [UInt8] {
        bigEndian(width) + bigEndian(height) + [UInt8(bitDepth), UInt8(colourType), 0, 0, interlaced ? 1 : 0]
    }

    public static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        var size = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = bytes.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { compress($0.baseAddress, &size, source.baseAddress, uLong(source.count)) }
        }
        precondition(status == Z_OK, "zlib compress failed")
        return Array(out.prefix(Int(size)))
    }

    /// The scanlines (filter byte 0, then packed samples) of a `width x height` image whose samples
    /// (`channels` per pixel, each `0 ..< 2^bitDepth`) are given by `sample(x, y, channel)`.
    public static func scanlines(width: Int, height: Int, channels: Int, bitDepth: Int, xs: [Int]? = nil, ys: [Int]? = nil,
                          sample: (Int, Int, Int) -> Int) -> [UInt8] {
        let xs = xs ?? Array(0 ..< width), ys = ys ?? Array(0 ..< height)
        guard !xs.isEmpty else { return [] }
        var out: [UInt8] = []
        for y in ys {
            out.append(0)
            var bits: [Int] = []
            for x in xs { for c in 0 ..< channels { bits.append(sample(x, y, c)) } }
            if bitDepth == 16 {
                for v in bits { out += [UInt8(v >> 8), UInt8(v & 0xFF)] }
            } else if bitDepth == 8 {
                out += bits.map { UInt8($0) }
            } else {
                var byte = 0, used = 0
                for v in bits {
                    byte = byte << bitDepth | v
                    used += bitDepth
                    if used == 8 { out.append(UInt8(byte)); byte = 0; used = 0 }
                }
                if used > 0 { out.append(UInt8(byte << (8 - used))) }
            }
        }
        return out
    }

    /// Adam7's seven passes: first column and row, column and row step.
    public static let adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]

    /// A whole PNG. `palette` (RGB triples) and `transparency` (the tRNS chunk's bytes) when given;
    /// `extraChunks` go before IDAT (e.g. APNG's acTL and fcTL).
    public static func png(width: Int, height: Int, bitDepth: Int, colourType: Int, interlaced: Bool = false,
                    palette: [UInt8]? = nil, transparency: [UInt8]? = nil, extraChunks: [[UInt8]] = [],
                    sample: (Int, Int, Int) -> Int) -> [UInt8] {
        let c = channels(colourType: colourType)
        var raw: [UInt8] = []
        if interlaced {
            for (x0, y0, dx, dy) in adam7 {
                let xs = Array(stride(from: x0, to: width, by: dx)), ys = Array(stride(from: y0, to: height, by: dy))
                if !xs.isEmpty && !ys.isEmpty {
                    raw += scanlines(width: width, height: height, channels: c, bitDepth: bitDepth, xs: xs, ys: ys, sample: sample)
                }
            }
        } else {
            raw = scanlines(width: width, height: height, channels: c, bitDepth: bitDepth, sample: sample)
        }
        var file = signature + chunk("IHDR", header(width: UInt32(width), height: UInt32(height), bitDepth: bitDepth,
                                                     colourType: colourType, interlaced: interlaced))
        if let palette { file += chunk("PLTE", palette) }
        if let transparency { file += chunk("tRNS", transparency) }
        for extra in extraChunks { file += extra }
        file += chunk("IDAT", deflate(raw)) + chunk("IEND", [])
        return file
    }

    /// An 8-bit grey PNG of `pixels` (`width * height` values).
    public static func grey(width: Int, height: Int, pixels: [UInt8]) -> [UInt8] {
        png(width: width, height: height, bitDepth: 8, colourType: 0) { x, y, _ in Int(pixels[y * width + x]) }
    }

    /// The hostile corpus: name, bytes. Each must be refused in one line (or, for the APNG and
    /// 16-bit ones, read as the still image they also are) without allocating what the header claims.
    public static func hostileCorpus() -> [(name: String, bytes: [UInt8])] {
        let good = grey(width: 4, height: 4, pixels: (0 ..< 16).map { UInt8($0 * 16) })
        var badCRC = signature + chunk("IHDR", header(width: 4, height: 4, bitDepth: 8, colourType: 0), corruptCRC: true)
        badCRC += Array(good[33...])
        let hugeIHDR = signature + chunk("IHDR", header(width: 100_000, height: 100_000, bitDepth: 8, colourType: 0))
            + chunk("IDAT", deflate([0, 0, 0])) + chunk("IEND", [])
        let zeroIHDR = signature + chunk("IHDR", header(width: 0, height: 7, bitDepth: 8, colourType: 0)) + chunk("IEND", [])
        let sixteen = png(width: 5, height: 3, bitDepth: 16, colourType: 0) { x, _, _ in x * 16_000 }
        let actl = chunk("acTL", bigEndian(2) + bigEndian(0))
        let fctl = chunk("fcTL", bigEndian(0) + bigEndian(4) + bigEndian(4) + bigEndian(0) + bigEndian(0) + [0, 1, 0, 10, 0, 0])
        let apng = png(width: 4, height: 4, bitDepth: 8, colourType: 0, extraChunks: [actl, fctl]) { x, y, _ in (x + y) * 30 }
        let badFilter: [UInt8] = {
            var raw = scanlines(width: 4, height: 4, channels: 1, bitDepth: 8) { _, _, _ in 9 }
            raw[0] = 9   // filter types are 0...4
            return signature + chunk("IHDR", header(width: 4, height: 4, bitDepth: 8, colourType: 0)) + chunk("IDAT", deflate(raw)) + chunk("IEND", [])
        }()
        let badDepth = signature + chunk("IHDR", header(width: 4, height: 4, bitDepth: 3, colourType: 0)) + chunk("IEND", [])
        return [
            ("truncated.png", Array(good.prefix(good.count / 2))),
            ("signature-only.png", signature),
            ("bad-crc.png", badCRC),
            ("huge.png", hugeIHDR),
            ("zero-width.png", zeroIHDR),
            ("sixteen-bit.png", sixteen),
            ("animated.png", apng),
            ("text.png", Array("this is not a picture\n".utf8)),
            ("empty.png", []),
            ("bad-filter.png", badFilter),
            ("bad-depth.png", badDepth),
            ("no-idat.png", signature + chunk("IHDR", header(width: 4, height: 4, bitDepth: 8, colourType: 0)) + chunk("IEND", [])),
        ]
    }
}
