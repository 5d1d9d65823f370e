import CZlib
import Foundation

/// Whole-file reading with transparent gzip inflation.
enum FileBytes {
    /// The largest file, and the most a gzip stream may inflate to, that the loaders accept. NIST's
    /// biggest EMNIST file (by class, training images) is 547 MB inflated; 4 GiB leaves room for
    /// any 28x28 set while keeping a corrupt or hostile file from exhausting memory.
    static let maximumSize = 1 << 32

    /// The file's bytes, inflated when it is gzip (magic 1f 8b), as they are otherwise.
    static func read(_ path: String, limit: Int = maximumSize) throws -> [UInt8] {
        let bytes = try readRaw(path, limit: limit)
        guard isGzip(bytes) else { return bytes }
        return try inflateGzip(bytes, path: path, limit: limit)
    }

    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Reads straight into the array (no intermediate `Data`, so a 190 MB CSV costs 190 MB, not 380),
    /// after checking with `fstat` that the file is a regular file within `limit`.
    static func readRaw(_ path: String, limit: Int) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)   // a FIFO must not block: fstat refuses it below
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw DataError.missingFile(path) }
            throw DataError.unreadable(path: path, reason: String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw DataError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw DataError.unreadable(path: path, reason: "not a regular file") }
        guard status.st_size <= limit else { throw DataError.tooLarge(path: path, limit: limit) }
        let size = Int(status.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let got = Foundation.read(descriptor, buffer.baseAddress! + done, size - done)
                if got > 0 { done += got; continue }
                if got < 0 && errno == EINTR { continue }
                failure = got < 0 ? errno : 0
                break
            }
            initialized = done   // a file that shrank while being read yields what was there
        }
        if failure != 0 { throw DataError.unreadable(path: path, reason: String(cString: strerror(failure))) }
        return bytes
    }

    /// Inflates every gzip member in `compressed` into at most `limit` bytes. The trailer's ISIZE
    /// (length mod 2^32) sizes the output buffer up front, so a 100 MB file inflates without repeated
    /// reallocation. A truncated file ends in arbitrary bytes, so the hint is trusted only up to a
    /// ratio that images reach; past it the buffer doubles as the data actually arrives. Zero bytes
    /// after the last member (padding some tools add) are ignored, as gzip(1) does.
    static func inflateGzip(_ compressed: [UInt8], path: String, limit: Int = maximumSize) throws -> [UInt8] {
        var sizeHint = compressed.count.multipliedReportingOverflow(by: 4).partialValue
        if compressed.count >= 18 {
            let tail = compressed.count - 4
            let isize = Int(compressed[tail]) | Int(compressed[tail + 1]) << 8 | Int(compressed[tail + 2]) << 16 | Int(compressed[tail + 3]) << 24
            if isize > 0 && isize / 64 <= compressed.count { sizeHint = isize }
        }
        sizeHint = min(max(sizeHint, 1024), limit)
        var stream = z_stream()
        // windowBits 15 + 32: accept zlib or gzip headers; concatenated members are handled below.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.unreadable(path: path, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        // zlib counts in 32-bit `uInt`s, so input and output are handed over at most this much at a time.
        let chunk = Int(UInt32.max >> 1)
        var output = [UInt8](repeating: 0, count: sizeHint)
        var produced = 0
        return try compressed.withUnsafeBufferPointer { input -> [UInt8] in
            var consumed = 0
            func feed() {
                guard stream.avail_in == 0, consumed < input.count else { return }
                let count = min(chunk, input.count - consumed)
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)   // zlib only reads it
                stream.avail_in = uInt(count)
                consumed += count
            }
            var remaining: Int { Int(stream.avail_in) + input.count - consumed }
            feed()
            while true {
                if produced == output.count {
                    guard output.count < limit else { throw DataError.tooLarge(path: path, limit: limit) }
                    output += [UInt8](repeating: 0, count: min(output.count, limit - output.count))
                }
                let status = output.withUnsafeMutableBufferPointer { outBuffer -> Int32 in
                    let room = min(chunk, outBuffer.count - produced)
                    stream.next_out = outBuffer.baseAddress! + produced
                    stream.avail_out = uInt(room)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                    return status
                }
                feed()
                switch status {
                case Z_STREAM_END:
                    let restStart = input.count - remaining
                    if input[restStart...].allSatisfy({ $0 == 0 }) {
                        output.removeLast(output.count - produced)   // keeps the buffer: no copy
                        return output
                    }
                    inflateReset(&stream)    // another gzip member follows
                case Z_OK:
                    continue
                case Z_BUF_ERROR where remaining == 0:
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
