import CZlib

/// The first inflated bytes of a gzip stream, from its first compressed bytes only: enough to tell
/// what a `.gz` file holds (an IDX header) without reading or inflating the whole file.
enum GzipPeek {
    /// Up to `count` bytes inflated from `compressed` (fewer when it ends or is damaged first).
    static func head(_ compressed: [UInt8], count: Int) -> [UInt8] {
        guard count > 0, !compressed.isEmpty else { return [] }
        var stream = z_stream()
        // windowBits 15 + 16: a gzip wrapper, not zlib's.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
        defer { inflateEnd(&stream) }
        var input = compressed
        var output = [UInt8](repeating: 0, count: count)
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                _ = inflate(&stream, Z_SYNC_FLUSH)
            }
        }
        return Array(output.prefix(Int(stream.total_out)))
    }
}
