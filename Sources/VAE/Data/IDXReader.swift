/// The IDX format of MNIST, Fashion-MNIST and NIST's EMNIST files: a big-endian magic number
/// (0x00000803 for 3-D unsigned-byte images, 0x00000801 for 1-D labels), one 32-bit size per
/// dimension, then the bytes.
enum IDXReader {
    static let imagesMagic: UInt32 = 0x0000_0803
    static let labelsMagic: UInt32 = 0x0000_0801

    /// 28x28 images, row-major; with `transposed` each image is transposed on load (EMNIST stores
    /// them column-major, so its letters would otherwise lie on their side).
    static func readImages(_ path: String, transposed: Bool) throws -> (count: Int, pixels: [UInt8]) {
        let bytes = try FileBytes.read(path)
        try checkMagic(bytes, imagesMagic, path)
        guard bytes.count >= 16 else { throw DataError.truncated(path: path, expectedBytes: 16, actualBytes: bytes.count) }
        let count = Int(bigEndian(bytes, 4)), rows = Int(bigEndian(bytes, 8)), columns = Int(bigEndian(bytes, 12))
        guard rows == ImageSet.side, columns == ImageSet.side else {
            throw DataError.badImageSize(path: path, rows: rows, columns: columns)
        }
        let expected = 16 + count * ImageSet.pixelCount
        guard bytes.count >= expected else { throw DataError.truncated(path: path, expectedBytes: expected, actualBytes: bytes.count) }
        var pixels = [UInt8](repeating: 0, count: count * ImageSet.pixelCount)
        bytes.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                let from = source.baseAddress! + 16, to = target.baseAddress!
                if transposed {
                    let side = ImageSet.side
                    for image in 0 ..< count {
                        let s = from + image * ImageSet.pixelCount, t = to + image * ImageSet.pixelCount
                        for row in 0 ..< side { for column in 0 ..< side { t[row * side + column] = s[column * side + row] } }
                    }
                } else {
                    to.update(from: from, count: count * ImageSet.pixelCount)
                }
            }
        }
        return (count, pixels)
    }

    static func readLabels(_ path: String) throws -> [Int] {
        let bytes = try FileBytes.read(path)
        try checkMagic(bytes, labelsMagic, path)
        guard bytes.count >= 8 else { throw DataError.truncated(path: path, expectedBytes: 8, actualBytes: bytes.count) }
        let count = Int(bigEndian(bytes, 4))
        guard bytes.count >= 8 + count else { throw DataError.truncated(path: path, expectedBytes: 8 + count, actualBytes: bytes.count) }
        return bytes[8 ..< 8 + count].map(Int.init)
    }

    private static func checkMagic(_ bytes: [UInt8], _ expected: UInt32, _ path: String) throws {
        guard bytes.count >= 4 else { throw DataError.truncated(path: path, expectedBytes: 4, actualBytes: bytes.count) }
        let magic = bigEndian(bytes, 0)
        guard magic == expected else { throw DataError.badMagic(path: path, found: magic, expected: expected) }
    }

    private static func bigEndian(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
