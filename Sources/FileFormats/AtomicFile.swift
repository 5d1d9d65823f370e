import Foundation
import Synchronization

/// Saves files so that a failure never loses the one that was there: the bytes go to a temporary
/// file in the same folder, which is flushed to disk (`fsync`) and then renamed over the target in
/// one step. On any failure (a missing or read-only folder, a full disk, an interrupted write) the
/// temporary file is removed and the old file is untouched. A symbolic link is followed, so the file
/// it points to is replaced, and the new file keeps the old one's permissions.
///
/// What may be replaced, and where, is the caller's `WritePolicy`: a weights save replaces only a weights
/// file (never a README, a configuration file or whatever a symbolic link points to) and never writes
/// into the shipped Weights/ unless forced. A save
/// also removes the temporary files earlier saves of the same target left behind when their process
/// was killed (`.NAME.tmp-PID-N` whose process no longer runs).
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String, policy: WritePolicy = .anything) throws {
        try write(bytes, to: path, policy: policy, using: .system)
    }

    /// Checks, before a long computation, that a file of `bytes` bytes could be saved at `path` now:
    /// the folder exists and accepts a new file (a probe is created and removed), the path is not a
    /// folder or a device, and the disk has room. `path` itself is not touched.
    public static func checkWritable(_ path: String, bytes: Int, policy: WritePolicy = .anything) throws {
        let target = try resolve(path)
        try check(path, target: target, policy: policy)
        let probe = temporaryPath(for: target.path)
        let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw FileWriteError.from(errno: errno, path: path, folder: target.folder, operation: "creating a file")
        }
        close(descriptor)
        unlink(probe)
        var volume = statvfs()
        if statvfs(target.folder, &volume) == 0 {
            let available = Int(clamping: UInt64(volume.f_bavail).multipliedReportingOverflow(by: UInt64(volume.f_frsize)).partialValue)
            if available < bytes { throw FileWriteError.diskFull(path: path, neededBytes: bytes, availableBytes: available) }
        }
    }

    /// Removes the temporary files of saves still in progress, for an exit that cannot wait for them
    /// (a second Ctrl-C). Their targets keep their previous contents.
    public static func removeTemporaryFiles() {
        pending.withLock { paths in
            for path in paths { unlink(path) }
            paths.removeAll()
        }
    }

    /// The system calls a save makes, replaceable so that tests can make any of them fail.
    struct SystemCalls: Sendable {
        var open: @Sendable (_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 = { Foundation.open($0, $1, $2) }
        var write: @Sendable (_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int = { Foundation.write($0, $1, $2) }
        var fsync: @Sendable (_ descriptor: Int32) -> Int32 = { Foundation.fsync($0) }
        var rename: @Sendable (_ from: String, _ to: String) -> Int32 = { Foundation.rename($0, $1) }

        static let system = SystemCalls()
    }

    static func write(_ bytes: [UInt8], to path: String, policy: WritePolicy = .anything, using calls: SystemCalls) throws {
        let target = try resolve(path)
        try check(path, target: target, policy: policy)
        removeStaleTemporaryFiles(for: target.path)
        let temporary = temporaryPath(for: target.path)
        pending.withLock { _ = $0.insert(temporary) }   // before it exists, so that an exit at any moment can remove it
        defer { pending.withLock { _ = $0.remove(temporary) } }
        func failure(_ operation: String, _ code: Int32) -> FileWriteError {
            FileWriteError.from(errno: code, path: path, folder: target.folder, operation: operation)
        }

        let descriptor = calls.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, target.mode ?? 0o644)
        guard descriptor >= 0 else { throw failure("creating a temporary file", errno) }
        var isOpen = true
        do {
            defer { if isOpen { close(descriptor) } }
            if let mode = target.mode { fchmod(descriptor, mode) }   // open's mode is filtered by the umask
            try bytes.withUnsafeBytes { raw in
                var written = 0
                while written < raw.count {
                    let count = calls.write(descriptor, raw.baseAddress! + written, min(raw.count - written, 1 << 30))
                    if count > 0 { written += count; continue }
                    if count < 0 && errno == EINTR { continue }
                    throw failure("writing", count < 0 ? errno : EIO)
                }
            }
            guard calls.fsync(descriptor) == 0 else { throw failure("flushing to disk", errno) }
            isOpen = false
            guard close(descriptor) == 0 else { throw failure("closing", errno) }
            guard calls.rename(temporary, target.path) == 0 else { throw failure("renaming into place", errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        // Make the rename itself durable; a failure here cannot lose data, so it is not reported.
        let folder = open(target.folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 { fsync(folder); close(folder) }
    }

    /// The file a save replaces (a symbolic link's target), its folder, and its permissions if it exists.
    private static func resolve(_ path: String) throws -> (path: String, folder: String, mode: mode_t?) {
        guard !path.isEmpty else { throw FileWriteError.notARegularFile(path: path) }
        var resolved = path
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK, let real = realpath(path, nil) {
            resolved = String(cString: real)
            free(real)
        }
        let folder = (resolved as NSString).deletingLastPathComponent
        let folderPath = folder.isEmpty ? "." : folder
        guard stat(resolved, &status) == 0 else {
            let code = errno
            guard code == ENOENT else { throw FileWriteError.from(errno: code, path: path, folder: folderPath, operation: "looking up") }
            // A new file: the folder must exist and be one.
            var folderStatus = stat()
            guard stat(folderPath, &folderStatus) == 0 else {
                throw FileWriteError.from(errno: errno, path: path, folder: folderPath, operation: "looking up the folder")
            }
            guard folderStatus.st_mode & S_IFMT == S_IFDIR else { throw FileWriteError.notAFolder(path: path) }
            return (resolved, folderPath, nil)
        }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw FileWriteError.isAFolder(path: path) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw FileWriteError.notARegularFile(path: path) }
        return (resolved, folderPath, status.st_mode & 0o7777)
    }

    /// Throws unless `policy` lets a save of `path` (resolved to `target`) go ahead.
    private static func check(_ path: String, target: (path: String, folder: String, mode: mode_t?), policy: WritePolicy) throws {
        if let why = policy.refusal(target: target.path, exists: target.mode != nil, isLink: target.path != path,
                                    head: { head(target.path, count: OutputKind.headLength) }) {
            throw FileWriteError.refused(path: path, why: why)
        }
    }

    /// The first bytes of `path` (at most `count`), or nil when it cannot be read.
    private static func head(_ path: String, count: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: count)
        let got = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress!, count) }
        return got >= 0 ? Array(buffer.prefix(got)) : nil
    }

    /// Removes `.NAME.tmp-PID-N` files beside `target` whose process is gone: what a save killed
    /// before it could clean up (SIGKILL, a power cut) left. Files of running processes are theirs.
    static func removeStaleTemporaryFiles(for target: String) {
        let folder = (target as NSString).deletingLastPathComponent
        let prefix = ".\(String((target as NSString).lastPathComponent.prefix(100))).tmp-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder) else { return }
        for name in names where name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: "-")
            guard parts.count == 2, let pid = Int32(parts[0]), Int(parts[1]) != nil, pid > 0 else { continue }
            if pid == getpid() { continue }   // this process's own saves in progress
            if kill(pid, 0) == 0 || errno == EPERM { continue }   // still running (perhaps as another user)
            unlink((folder.isEmpty ? "" : folder + "/") + name)
        }
    }

    /// A hidden name in the target's folder, unique to this process and save.
    private static func temporaryPath(for target: String) -> String {
        let folder = (target as NSString).deletingLastPathComponent
        let name = String((target as NSString).lastPathComponent.prefix(100))
        let unique = "\(getpid())-\(saveNumber.add(1, ordering: .relaxed).newValue)"
        return (folder.isEmpty ? "" : folder + "/") + ".\(name).tmp-\(unique)"
    }

    /// Temporary files being written, so that an immediate exit can remove them.
    private static let pending = Mutex<Set<String>>([])
    /// A process-wide sequence number for temporary names.
    private static let saveNumber = Atomic<Int>(0)
}
