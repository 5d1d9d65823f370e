/// The IDX format of MNIST, Fashion-MNIST and NIST's EMNIST files: a big-endian magic number
/// (0x00000803 for 3-D unsigned-byte images, 0x00000801 for 1-D labels), one 32-bit size per
/// dimension, then the bytes.
///
/// Sizes come from the file, so they are multiplied with overflow checks and compared with the bytes
/// actually present before anything is allocated.
enum IDXReader {
    static let imagesMagic: UInt32 = 0x0000_0803
    static let labelsMagic: UInt32 = 0x0000_0801
    static let imagesHeaderSize = 16
    static let labelsHeaderSize = 8

    /// 28x28 images, row-major; with `transposed` each image is transposed on load (EMNIST stores
    /// them column-major, so its letters would otherwise lie on their side).
    static func readImages(_ path: String, transposed: Bool) throws -> (count: Int, pixels: [UInt8]) {
        try parseImages(FileBytes.read(path), path: path, transposed: transposed)
    }

    static func readLabels(_ path: String) throws -> [Int] {
        try parseLabels(FileBytes.read(path), path: path)
    }

    static func parseImages(_ bytes: [UInt8], path: String, transposed: Bool) throws -> (count: Int, pixels: [UInt8]) {
        try checkMagic(bytes, imagesMagic, path)
        guard bytes.count >= imagesHeaderSize else {
            throw DataError.truncated(path: path, expectedBytes: imagesHeaderSize, actualBytes: bytes.count)
        }
        let count = Int(bigEndian(bytes, 4)), rows = Int(bigEndian(bytes, 8)), columns = Int(bigEndian(bytes, 12))
        guard rows == ImageSet.side, columns == ImageSet.side else {
            throw DataError.badImageSize(path: path, rows: rows, columns: columns)
        }
        let pixelBytes = count.multipliedReportingOverflow(by: rows * columns)
        let expected = pixelBytes.partialValue.addingReportingOverflow(imagesHeaderSize)
        guard !pixelBytes.overflow, !expected.overflow else { throw DataError.impossibleSize(path: path, count: count) }
        guard bytes.count >= expected.partialValue else {
            throw DataError.truncated(path: path, expectedBytes: expected.partialValue, actualBytes: bytes.count)
        }
        var pixels = [UInt8](repeating: 0, count: pixelBytes.partialValue)
        bytes.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                guard let to = target.baseAddress else { return }   // no images
                let from = source.baseAddress! + imagesHeaderSize
                if transposed {
                    for image in 0 ..< count {
                        ImageSet.copyTransposed(from + image * ImageSet.pixelCount, to: to + image * ImageSet.pixelCount)
                    }
                } else {
                    to.update(from: from, count: pixelBytes.partialValue)
                }
            }
        }
        return (count, pixels)
    }

    static func parseLabels(_ bytes: [UInt8], path: String) throws -> [Int] {
        try checkMagic(bytes, labelsMagic, path)
        guard bytes.count >= labelsHeaderSize else {
            throw DataError.truncated(path: path, expectedBytes: labelsHeaderSize, actualBytes: bytes.count)
        }
        let count = Int(bigEndian(bytes, 4))
        let expected = labelsHeaderSize + count   // at most 2^32 + 8: cannot overflow
        guard bytes.count >= expected else { throw DataError.truncated(path: path, expectedBytes: expected, actualBytes: bytes.count) }
        return bytes[labelsHeaderSize ..< expected].map(Int.init)
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
