import CZlib
import FileFormats
import Foundation

/// Writes image sets in the formats the loaders read: the benchmark's input files, test fixtures, and
/// a way to hand the synthetic letters to other tools (e.g. the PyTorch reference).
public enum DatasetWriter {
    /// IDX images (magic 0x803) and labels (0x801), gzip-compressed when `gzip` is true. With
    /// `transposed`, images are stored column-major as in NIST's EMNIST files.
    public static func writeIDX(_ images: ImageSet, imagesPath: String, labelsPath: String,
                                gzip: Bool, transposed: Bool) throws {
        var imageBytes = header(magic: 0x0000_0803, dimensions: [images.count, ImageSet.side, ImageSet.side])
        imageBytes.reserveCapacity(imageBytes.count + images.pixels.count)
        if transposed {
            for index in 0 ..< images.count {
                let image = images.image(index)
                for p in 0 ..< ImageSet.pixelCount { imageBytes.append(image[image.startIndex + ImageSet.transposedOffset(p)]) }
            }
        } else {
            imageBytes.append(contentsOf: images.pixels)
        }
        var labelBytes = header(magic: 0x0000_0801, dimensions: [images.count])
        labelBytes.append(contentsOf: images.labels.map { UInt8(clamping: $0) })
        try AtomicFile.write(gzip ? try compress(imageBytes) : imageBytes, to: imagesPath)
        try AtomicFile.write(gzip ? try compress(labelBytes) : labelBytes, to: labelsPath)
    }

    /// The EMNIST CSV export's layout: `label,p0,...,p783` per line, images transposed, no header.
    public static func writeCSV(_ images: ImageSet, path: String) throws {
        var out = [UInt8]()
        out.reserveCapacity(images.count * 2_000)
        func appendNumber(_ value: Int) {
            if value >= 100 { out.append(UInt8(48 + value / 100)) }
            if value >= 10 { out.append(UInt8(48 + value / 10 % 10)) }
            out.append(UInt8(48 + value % 10))
        }
        for index in 0 ..< images.count {
            appendNumber(images.labels[index])
            let image = images.image(index)
            for p in 0 ..< ImageSet.pixelCount {
                out.append(UInt8(ascii: ","))
                appendNumber(Int(image[image.startIndex + ImageSet.transposedOffset(p)]))
            }
            out.append(UInt8(ascii: "\n"))
        }
        try AtomicFile.write(out, to: path)
    }

    private static func header(magic: UInt32, dimensions: [Int]) -> [UInt8] {
        var out: [UInt8] = []
        for value in [magic] + dimensions.map({ UInt32($0) }) {
            withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }   // IDX is big-endian
        }
        return out
    }

    /// A gzip member (RFC 1952) via zlib's deflate with windowBits 15 + 16.
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.unreadable(path: "(gzip)", reason: "zlib could not start compressing")
        }
        defer { deflateEnd(&stream) }
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
        guard status == Z_STREAM_END else {
            throw DataError.unreadable(path: "(gzip)", reason: "zlib could not compress (status \(status))")
        }
        return Array(output[0 ..< Int(stream.total_out)])
    }
}
