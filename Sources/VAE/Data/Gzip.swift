import CZlib
import Foundation

/// Whole-file reading with transparent gzip inflation.
enum FileBytes {
    /// The file's bytes, inflated when it is gzip (magic 1f 8b), as they are otherwise.
    static func read(_ path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else { throw DataError.missingFile(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError.unreadable(path: path, reason: "permission denied or not a regular file")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B else { return bytes }
        return try inflateGzip(bytes, path: path)
    }

    /// Inflates every gzip member in `compressed`. The trailer's ISIZE (length mod 2^32) sizes the
    /// output buffer up front, so a 100 MB file inflates without repeated reallocation. A truncated
    /// file ends in arbitrary bytes, so the hint is trusted only up to a ratio that images reach.
    static func inflateGzip(_ compressed: [UInt8], path: String) throws -> [UInt8] {
        var sizeHint = compressed.count * 4
        if compressed.count >= 18 {
            let tail = compressed.count - 4
            let isize = Int(compressed[tail]) | Int(compressed[tail + 1]) << 8 | Int(compressed[tail + 2]) << 16 | Int(compressed[tail + 3]) << 24
            if isize > 0 && isize <= compressed.count * 64 { sizeHint = isize }
        }
        var stream = z_stream()
        // windowBits 15 + 32: accept zlib or gzip headers; concatenated members are handled below.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.unreadable(path: path, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: max(sizeHint, 1024))
        var produced = 0
        var input = compressed
        return try input.withUnsafeMutableBufferPointer { inBuffer -> [UInt8] in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            while true {
                if produced == output.count { output.append(contentsOf: [UInt8](repeating: 0, count: output.count)) }
                let status = output.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
                    stream.next_out = outBuffer.baseAddress! + produced
                    stream.avail_out = uInt(outBuffer.count - produced)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    produced = outBuffer.count - Int(stream.avail_out)
                    return status
                }
                switch status {
                case Z_STREAM_END:
                    if stream.avail_in == 0 { return Array(output[0 ..< produced]) }
                    inflateReset(&stream)    // another gzip member follows
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw DataError.unreadable(path: path, reason: "gzip stream is truncated")
                case Z_BUF_ERROR:
                    continue
                default:
                    throw DataError.unreadable(path: path, reason: "gzip data is corrupt")
                }
            }
        }
    }
}
