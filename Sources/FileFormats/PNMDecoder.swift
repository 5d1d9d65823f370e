/// Reads the Netpbm formats: PBM (`P1` text, `P4` packed bits; 1 is black), PGM (`P2` text, `P5`
/// binary, maxval up to 65535, two big-endian bytes a sample above 255) and PPM (`P3`, `P6`), with `#`
/// comments in the header. Every sample is scaled from 0...maxval to a luminance byte.
///
/// Pure (no file access), so the fuzz tests call it directly. The announced size is checked against
/// `RasterImage.maximumPixels` and the bytes present before any buffer is made.
public enum PNMDecoder {
    /// Whether `bytes` start with a Netpbm magic number `P1`...`P6`.
    public static func hasMagic(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == UInt8(ascii: "P") && (UInt8(ascii: "1") ... UInt8(ascii: "6")).contains(bytes[1])
    }

    /// The largest maxval the format allows.
    static let largestMaxval = 65535
    /// The most digits a header number may have: more than enough for 65535 or a width, and it keeps
    /// the parser's arithmetic far from overflow.
    static let maximumDigits = 9

    public static func decode(_ bytes: [UInt8], path: String) throws -> RasterImage {
        guard hasMagic(bytes) else { throw ImageReadError.unknownFormat(path: path) }
        let kind = Int(bytes[1] - UInt8(ascii: "0"))
        var reader = Reader(bytes: bytes, position: 2, path: path)
        let width = try reader.number("width"), height = try reader.number("height")
        let isBitmap = kind == 1 || kind == 4
        let maxval = isBitmap ? 1 : try reader.number("maxval")
        guard width > 0, height > 0, RasterImage.acceptable(width: width, height: height) else {
            throw ImageReadError.badDimensions(path: path, width: width, height: height)
        }
        guard (1 ... largestMaxval).contains(maxval) else {
            throw ImageReadError.malformedPNM(path: path, reason: "maxval \(maxval) is outside 1...\(largestMaxval)")
        }
        let channels = kind == 3 || kind == 6 ? 3 : 1
        let count = width * height
        var samples = [Int](repeating: 0, count: 0)
        switch kind {
        case 1, 2, 3:
            // Text: every sample is a number, separated by whitespace (P1 digits may touch).
            guard bytes.count - reader.position >= count * channels else { throw ImageReadError.truncated(path: path) }
            samples.reserveCapacity(count * channels)
            for _ in 0 ..< count * channels {
                let value = kind == 1 ? try reader.bit() : try reader.number("pixel")
                guard value <= maxval else {
                    throw ImageReadError.malformedPNM(path: path, reason: "a sample of \(value) is above maxval \(maxval)")
                }
                samples.append(value)
            }
        case 4:
            try reader.singleWhitespace()
            let rowBytes = (width + 7) / 8
            guard bytes.count - reader.position >= rowBytes * height else { throw ImageReadError.truncated(path: path) }
            samples.reserveCapacity(count)
            for y in 0 ..< height {
                let row = reader.position + y * rowBytes
                for x in 0 ..< width { samples.append(Int(bytes[row + x / 8] >> (7 - UInt8(x % 8))) & 1) }
            }
        default:   // 5, 6
            try reader.singleWhitespace()
            let sampleBytes = maxval > 255 ? 2 : 1
            guard bytes.count - reader.position >= count * channels * sampleBytes else { throw ImageReadError.truncated(path: path) }
            samples.reserveCapacity(count * channels)
            for i in 0 ..< count * channels {
                let at = reader.position + i * sampleBytes
                let value = sampleBytes == 2 ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : Int(bytes[at])
                guard value <= maxval else {
                    throw ImageReadError.malformedPNM(path: path, reason: "a sample of \(value) is above maxval \(maxval)")
                }
                samples.append(value)
            }
        }
        var luminance = [UInt8](repeating: 0, count: count)
        for p in 0 ..< count {
            if isBitmap {
                luminance[p] = samples[p] == 1 ? 0 : 255
            } else if channels == 1 {
                luminance[p] = scaled(samples[p], maxval)
            } else {
                luminance[p] = RasterImage.luma(red: scaled(samples[3 * p], maxval), green: scaled(samples[3 * p + 1], maxval),
                                                blue: scaled(samples[3 * p + 2], maxval))
            }
        }
        return RasterImage(width: width, height: height, luminance: luminance)
    }

    private static func scaled(_ value: Int, _ maxval: Int) -> UInt8 { UInt8((value * 255 + maxval / 2) / maxval) }

    /// The header's tokens: decimal numbers between whitespace and `#` comments.
    private struct Reader {
        let bytes: [UInt8]
        var position: Int
        let path: String

        private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09 ... 0x0D).contains(b) }

        mutating func skipSpaceAndComments() {
            while position < bytes.count {
                if Self.isSpace(bytes[position]) { position += 1 } else if bytes[position] == UInt8(ascii: "#") {
                    while position < bytes.count && bytes[position] != 0x0A && bytes[position] != 0x0D { position += 1 }
                } else { return }
            }
        }

        mutating func number(_ what: String) throws -> Int {
            skipSpaceAndComments()
            guard position < bytes.count else { throw ImageReadError.truncated(path: path) }
            var value = 0, digits = 0
            while position < bytes.count, (UInt8(ascii: "0") ... UInt8(ascii: "9")).contains(bytes[position]) {
                digits += 1
                guard digits <= PNMDecoder.maximumDigits else {
                    throw ImageReadError.malformedPNM(path: path, reason: "the \(what) has more than \(PNMDecoder.maximumDigits) digits")
                }
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                position += 1
            }
            guard digits > 0 else { throw ImageReadError.malformedPNM(path: path, reason: "expected the \(what) as a decimal number") }
            return value
        }

        /// One `0` or `1` of a P1 bitmap, whose digits need no space between them.
        mutating func bit() throws -> Int {
            skipSpaceAndComments()
            guard position < bytes.count else { throw ImageReadError.truncated(path: path) }
            let b = bytes[position]
            guard b == UInt8(ascii: "0") || b == UInt8(ascii: "1") else {
                throw ImageReadError.malformedPNM(path: path, reason: "a P1 bitmap holds only 0 and 1")
            }
            position += 1
            return Int(b - UInt8(ascii: "0"))
        }

        /// The one whitespace byte between a binary header and its pixels.
        mutating func singleWhitespace() throws {
            guard position < bytes.count else { throw ImageReadError.truncated(path: path) }
            guard Self.isSpace(bytes[position]) else {
                throw ImageReadError.malformedPNM(path: path, reason: "expected whitespace after the header")
            }
            position += 1
        }
    }
}
