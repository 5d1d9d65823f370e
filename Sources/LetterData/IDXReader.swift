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
        let bytes = try FileBytes.readAnnounced(path, limit: maximumImageFileBytes, headerSize: imagesHeaderSize) {
            try announcedImageFileBytes($0, path: path)
        }
        return try parseImages(bytes, path: path, transposed: transposed)
    }

    static func readLabels(_ path: String) throws -> [Int] {
        let bytes = try FileBytes.readAnnounced(path, limit: maximumLabelFileBytes, headerSize: labelsHeaderSize) { header in
            try checkMagic(header, labelsMagic, path)
            guard header.count >= labelsHeaderSize else {
                throw DataError.truncated(path: path, expectedBytes: labelsHeaderSize, actualBytes: header.count)
            }
            let total = labelsHeaderSize + Int(bigEndian(header, 4))   // at most 2^32 + 8: cannot overflow
            guard total <= maximumLabelFileBytes else { throw DataError.tooLarge(path: path, limit: maximumLabelFileBytes) }
            return total
        }
        return try parseLabels(bytes, path: path)
    }

    /// The largest image file (inflated): NIST's biggest EMNIST file (by class, training images) is
    /// 547 MB; 640 MB holds it, and train and test together stay within the program's 1 GB.
    static let maximumImageFileBytes = 640 << 20
    /// The largest label file: 16 M labels, more than any image file within its cap holds.
    static let maximumLabelFileBytes = labelsHeaderSize + (16 << 20)
    /// The most the train and test image files of one data set may announce together.
    static let maximumDataSetImageBytes = 768 << 20

    /// The size of an image file as its 16-byte header announces it (magic, count x 28 x 28 + 16, with
    /// checked arithmetic), refused when over `maximumImageFileBytes`: nothing is allocated for a
    /// file whose header is impossible or too large.
    static func announcedImageFileBytes(_ header: [UInt8], path: String) throws -> Int {
        try checkMagic(header, imagesMagic, path)
        guard header.count >= imagesHeaderSize else {
            throw DataError.truncated(path: path, expectedBytes: imagesHeaderSize, actualBytes: header.count)
        }
        let count = Int(bigEndian(header, 4)), rows = Int(bigEndian(header, 8)), columns = Int(bigEndian(header, 12))
        guard rows == ImageSet.side, columns == ImageSet.side else {
            throw DataError.badImageSize(path: path, rows: rows, columns: columns)
        }
        let pixelBytes = count.multipliedReportingOverflow(by: rows * columns)
        let total = pixelBytes.partialValue.addingReportingOverflow(imagesHeaderSize)
        guard !pixelBytes.overflow, !total.overflow else { throw DataError.impossibleSize(path: path, count: count) }
        guard total.partialValue <= maximumImageFileBytes else { throw DataError.tooLarge(path: path, limit: maximumImageFileBytes) }
        return total.partialValue
    }

    /// The announced size of an image file from its first bytes only (a gzip file's first 64 KB are
    /// inflated just far enough), or nil when they do not tell: for deciding, before loading, whether
    /// a data set's splits fit in memory together.
    static func peekImageFileBytes(_ path: String) -> Int? {
        guard let file = try? RegularFile(path, limit: Int.max),
              var head = try? file.read(offset: 0, count: min(file.size, 64 << 10)) else { return nil }
        if FileBytes.isGzip(head) {
            guard let inflater = try? GzipInflater(head, path: path) else { return nil }
            var header = [UInt8](repeating: 0, count: imagesHeaderSize)
            guard let got = try? header.withUnsafeMutableBytes({ try inflater.fill($0) }), got == imagesHeaderSize else { return nil }
            head = header
        }
        return try? announcedImageFileBytes(Array(head.prefix(imagesHeaderSize)), path: path)
    }

    static func parseImages(_ bytes: [UInt8], path: String, transposed: Bool) throws -> (count: Int, pixels: [UInt8]) {
        // The header checks of `announcedImageFileBytes` (magic, 28x28, checked size, cap), then the stream
        // must hold what the header announces.
        let expected = try announcedImageFileBytes(Array(bytes.prefix(imagesHeaderSize)), path: path)
        guard bytes.count >= expected else {
            throw DataError.truncated(path: path, expectedBytes: expected, actualBytes: bytes.count)
        }
        let count = Int(bigEndian(bytes, 4)), pixelCount = expected - imagesHeaderSize
        var pixels = [UInt8](repeating: 0, count: pixelCount)
        bytes.withUnsafeBufferPointer { source in
            pixels.withUnsafeMutableBufferPointer { target in
                guard let to = target.baseAddress else { return }   // no images
                let from = source.baseAddress! + imagesHeaderSize
                if transposed {
                    for image in 0 ..< count {
                        ImageSet.copyTransposed(from + image * ImageSet.pixelCount, to: to + image * ImageSet.pixelCount)
                    }
                } else {
                    to.update(from: from, count: pixelCount)
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

    static func checkMagic(_ bytes: [UInt8], _ expected: UInt32, _ path: String) throws {
        guard bytes.count >= 4 else { throw DataError.truncated(path: path, expectedBytes: 4, actualBytes: bytes.count) }
        let magic = bigEndian(bytes, 0)
        guard magic == expected else { throw DataError.badMagic(path: path, found: magic, expected: expected) }
    }

    static func bigEndian(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
