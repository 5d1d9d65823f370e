import CZlib
import Foundation

/// Whole-file reading with transparent gzip inflation.
enum FileBytes {
    /// The largest file, and the most a gzip stream may inflate to, when a reader names no cap of its
    /// own (each kind has one: `IDXReader`, `CSVReader`, `ClassNames`).
    static let maximumSize = 1 << 30

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

    /// Inflates every gzip member in `compressed` into at most `limit` bytes, stopping (and refusing)
    /// as soon as the stream would give more: a small file that inflates to gigabytes costs `limit`.
    /// The output grows as the data actually arrives (doubling), from the trailer's ISIZE when that is
    /// plausible for images. Zero bytes after the last member (padding some tools add) are ignored.
    static func inflateGzip(_ compressed: [UInt8], path: String, limit: Int = maximumSize) throws -> [UInt8] {
        var sizeHint = compressed.count.multipliedReportingOverflow(by: 4).partialValue
        if compressed.count >= 18 {
            let tail = compressed.count - 4
            let isize = Int(compressed[tail]) | Int(compressed[tail + 1]) << 8 | Int(compressed[tail + 2]) << 16 | Int(compressed[tail + 3]) << 24
            if isize > 0 && isize / 64 <= compressed.count { sizeHint = isize }
        }
        sizeHint = min(max(sizeHint, 1024), limit)
        let inflater = try GzipInflater(compressed, path: path)
        var output = [UInt8](repeating: 0, count: sizeHint)
        var produced = 0
        while true {
            if produced == output.count {
                guard output.count < limit else {
                    // Full: one more byte means the stream is larger than allowed.
                    if try inflater.isFinished() { return output }
                    throw DataError.tooLarge(path: path, limit: limit)
                }
                output += [UInt8](repeating: 0, count: min(output.count, limit - output.count))
            }
            let got = try output.withUnsafeMutableBytes { try inflater.inflate(into: UnsafeMutableRawBufferPointer(rebasing: $0[produced...])) }
            if got == 0 {
                output.removeLast(output.count - produced)   // keeps the buffer: no copy
                return output
            }
            produced += got
        }
    }

    /// A file whose size its own header announces (IDX): the first `headerSize` bytes (inflated when
    /// gzip) go to `announced`, which returns the whole size with checked arithmetic or throws; the
    /// buffer is then allocated at exactly that size, and a stream that holds more is refused as soon
    /// as the first extra byte arrives. A raw file is read whole (its size is known before reading).
    static func readAnnounced(_ path: String, limit: Int, headerSize: Int,
                              announced: ([UInt8]) throws -> Int) throws -> [UInt8] {
        let raw = try readRaw(path, limit: limit)
        guard isGzip(raw) else { return raw }
        let inflater = try GzipInflater(raw, path: path)
        var header = [UInt8](repeating: 0, count: headerSize)
        let headerGot = try header.withUnsafeMutableBytes { try inflater.fill($0) }
        header.removeLast(headerSize - headerGot)
        let total = try announced(header)   // throws for a short header, an overflow, a size over the cap
        guard total >= headerGot, total <= limit else { throw DataError.tooLarge(path: path, limit: limit) }
        var bytes = [UInt8](repeating: 0, count: total)
        bytes.replaceSubrange(0 ..< headerGot, with: header)
        let got = try bytes.withUnsafeMutableBytes { try inflater.fill(UnsafeMutableRawBufferPointer(rebasing: $0[headerGot...])) }
        guard try inflater.isFinished() else {
            throw DataError.unreadable(path: path, reason: "the gzip stream holds more than the \(total) bytes its header announces")
        }
        bytes.removeLast(total - headerGot - got)   // short: the parser reports the truncation
        return bytes
    }
}

/// zlib inflation of a gzip (or zlib) stream held in memory, handed out piece by piece so that the
/// caller decides how much it accepts. Concatenated members are read one after another; zero bytes
/// after the last member are padding.
final class GzipInflater {
    private var stream = z_stream()
    private let input: [UInt8]
    private let path: String
    private var consumed = 0
    private var finished = false

    init(_ compressed: [UInt8], path: String) throws {
        input = compressed
        self.path = path
        // windowBits 15 + 32: accept zlib or gzip headers; concatenated members are handled in `inflate`.
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.unreadable(path: path, reason: "zlib could not start inflating")
        }
    }

    deinit { inflateEnd(&stream) }

    /// zlib counts in 32-bit `uInt`s, so input and output are handed over at most this much at a time.
    private static let chunk = Int(UInt32.max >> 1)

    private var remaining: Int { Int(stream.avail_in) + input.count - consumed }

    /// Inflates into `buffer`: the bytes produced, 0 only at the end of the data.
    func inflate(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        return try input.withUnsafeBufferPointer { source -> Int in
            var produced = 0
            while produced == 0 {
                if stream.avail_in == 0, consumed < source.count {
                    let count = min(Self.chunk, source.count - consumed)
                    stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress! + consumed)   // zlib only reads it
                    stream.avail_in = uInt(count)
                    consumed += count
                }
                let room = min(Self.chunk, buffer.count)
                stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
                stream.avail_out = uInt(room)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                produced = room - Int(stream.avail_out)
                switch status {
                case Z_STREAM_END:
                    let restStart = source.count - remaining
                    if source[restStart...].allSatisfy({ $0 == 0 }) {
                        finished = true
                        return produced
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
            return produced
        }
    }

    /// Inflates until `buffer` is full or the data ends; the bytes produced.
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var done = 0
        while done < buffer.count {
            let got = try inflate(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Whether the data has ended (inflating one more byte gives none).
    func isFinished() throws -> Bool {
        if finished { return true }
        var probe: UInt8 = 0
        return try withUnsafeMutableBytes(of: &probe) { try inflate(into: $0) } == 0
    }
}
