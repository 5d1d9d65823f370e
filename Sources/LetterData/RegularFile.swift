import Foundation

/// An open regular file read in pieces, for formats whose header decides whether the rest is worth
/// reading (a safetensors header before gigabytes of tensors). Opening refuses what is not a regular
/// file (a FIFO would block, a device would never end) and anything over `limit` bytes.
public final class RegularFile {
    public let path: String
    public let size: Int
    private let descriptor: Int32

    public init(_ path: String, limit: Int) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)   // a FIFO must not block: fstat refuses it below
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw DataError.missingFile(path) }
            throw DataError.unreadable(path: path, reason: String(cString: strerror(code)))
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw DataError.unreadable(path: path, reason: reason)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw DataError.unreadable(path: path, reason: "not a regular file")
        }
        guard status.st_size <= limit else {
            close(descriptor)
            throw DataError.tooLarge(path: path, limit: limit)
        }
        self.path = path
        self.descriptor = descriptor
        size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    /// Up to `count` bytes from `offset` (fewer only when the file shrank while being read).
    public func read(offset: Int, count: Int) throws -> [UInt8] {
        precondition(offset >= 0 && count >= 0 && count <= size, "a read within the file's size")
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var done = 0
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got > 0 { done += got; continue }
                if got < 0 && errno == EINTR { continue }
                failure = got < 0 ? errno : 0
                break
            }
            initialized = done
        }
        if failure != 0 { throw DataError.unreadable(path: path, reason: String(cString: strerror(failure))) }
        return bytes
    }
}
