import CZlib

/// Writes the IDX format of MNIST's files (LeCun's "THE IDX FILE FORMAT"): a big-endian magic number
/// `0x0000_08DD` (unsigned bytes, D dimensions), one big-endian 32-bit size per dimension, then the
/// values in row-major order. This is the one writer of IDX bytes: the data sets the tests and `bench`
/// write and the pictures as data (`grid --out g.idx`) both go through it, and `LetterData`'s reader
/// reads what it writes.
///
/// Images are `[count, rows, columns]` (magic 0x803), labels `[count]` (magic 0x801). Nothing here
/// transposes: an image is written row-major and upright as given, the layout of MNIST's files (EMNIST's
/// column-major files are a caller's choice: `DatasetWriter.writeIDX(transposed:)`).
public enum IDXWriter {
    /// The magic number of unsigned-byte data of `dimensions` dimensions.
    public static func magic(dimensions: Int) -> UInt32 { 0x0000_0800 | UInt32(dimensions) }
    public static let imagesMagic = magic(dimensions: 3)
    public static let labelsMagic = magic(dimensions: 1)

    /// The IDX bytes of `count` images of `rows x columns` unsigned bytes, each row-major and all one
    /// after the other in `pixels`. Refuses (`IDXWriteError`) a side of 0, a size IDX cannot state (over
    /// 2^32 - 1), and pixels that are not `count * rows * columns` values.
    public static func images(_ pixels: [UInt8], count: Int, rows: Int, columns: Int) throws -> [UInt8] {
        guard rows > 0, columns > 0 else { throw IDXWriteError.emptyImage(rows: rows, columns: columns) }
        try encodable([count, rows, columns])
        let (perImage, overflowSide) = rows.multipliedReportingOverflow(by: columns)
        let (expected, overflow) = perImage.multipliedReportingOverflow(by: count)
        guard !overflowSide, !overflow, expected == pixels.count else {
            throw IDXWriteError.pixelCountMismatch(expected: overflowSide || overflow ? nil : expected, actual: pixels.count)
        }
        return header(magic: imagesMagic, sizes: [count, rows, columns]) + pixels
    }

    /// The IDX bytes of labels 0...255, one byte each.
    public static func labels(_ labels: [Int]) throws -> [UInt8] {
        try encodable([labels.count])
        var bytes = header(magic: labelsMagic, sizes: [labels.count])
        bytes.reserveCapacity(bytes.count + labels.count)
        for (index, label) in labels.enumerated() {
            guard let byte = UInt8(exactly: label) else { throw IDXWriteError.labelOutOfRange(index: index, value: label) }
            bytes.append(byte)
        }
        return bytes
    }

    /// `bytes` as one gzip member (RFC 1952), as `.idx.gz` files and NIST's EMNIST downloads are:
    /// zlib's deflate with windowBits 15 + 16 (the gzip wrapper) into a buffer of `deflateBound`'s
    /// size, so one `Z_FINISH` call always completes.
    public static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        let started = deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(started == Z_OK, "zlib could not start deflating (\(started)): out of memory")
        defer { deflateEnd(&stream) }
        // deflateBound leaves out the gzip wrapper's 18 bytes: 64 more covers it.
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        var input = bytes
        let status = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        precondition(status == Z_STREAM_END, "zlib deflate returned \(status) into a buffer of deflateBound's size")
        return Array(output[0 ..< Int(stream.total_out)])
    }

    /// The largest size one IDX dimension can state: sizes are 32-bit unsigned.
    public static let maximumSize = Int(UInt32.max)

    private static func encodable(_ sizes: [Int]) throws {
        for size in sizes where !(0 ... maximumSize).contains(size) { throw IDXWriteError.sizeNotEncodable(size) }
    }

    private static func header(magic: UInt32, sizes: [Int]) -> [UInt8] {
        var out: [UInt8] = []
        for value in [magic] + sizes.map({ UInt32($0) }) {
            withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }   // IDX is big-endian
        }
        return out
    }
}

/// What `IDXWriter` cannot write, in one line.
public enum IDXWriteError: Error, Equatable, CustomStringConvertible {
    /// An image of no rows or no columns.
    case emptyImage(rows: Int, columns: Int)
    /// A count or side outside what a 32-bit IDX size holds.
    case sizeNotEncodable(Int)
    /// The pixels do not fill `count` images of the size given (`expected` nil: the product overflows).
    case pixelCountMismatch(expected: Int?, actual: Int)
    /// A label that is not a byte.
    case labelOutOfRange(index: Int, value: Int)

    public var description: String {
        switch self {
        case .emptyImage(let rows, let columns):
            return "an IDX image needs at least one row and column, not \(rows)x\(columns)"
        case .sizeNotEncodable(let size):
            return "an IDX size is 0 to \(IDXWriter.maximumSize), not \(size)"
        case .pixelCountMismatch(let expected, let actual):
            return "\(actual) pixels do not fill the IDX images: " + (expected.map { "they need \($0)" } ?? "their size overflows")
        case .labelOutOfRange(let index, let value):
            return "IDX label #\(index) is \(value), not a byte (0-255)"
        }
    }
}
