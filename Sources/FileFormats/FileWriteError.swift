import Foundation
import Support

/// Why a file (weights, a PNG, a data set) could not be saved, with a one-line message. Whatever
/// the reason, the file that was at the path before is left as it was.
public enum FileWriteError: Error, Equatable, CustomStringConvertible {
    /// The folder the file would go in does not exist.
    case missingFolder(path: String, folder: String)
    /// Some component of the path is a regular file, not a folder (`model.safetensors/x`).
    case notAFolder(path: String)
    /// The path names a folder.
    case isAFolder(path: String)
    /// The path names a device, a pipe or something else that is not a regular file.
    case notARegularFile(path: String)
    /// Permission denied or a read-only file system.
    case notWritable(path: String, folder: String, reason: String)
    /// The disk (or quota) is full, found before writing or while writing.
    case diskFull(path: String, neededBytes: Int?, availableBytes: Int?)
    /// Any other failure of the system call named in `operation`.
    case failed(path: String, operation: String, reason: String)
    /// The write policy refuses the save without `--force` (`WritePolicy`).
    case refused(path: String, why: Refusal)

    /// Why `WritePolicy` refuses a save.
    public enum Refusal: Sendable, Equatable {
        /// The path holds (or a symbolic link there points to) a file not of the kind being written.
        case otherKind(String, isLink: Bool)
        /// The file would go into a protected folder (named), e.g. the shipped Weights/.
        case protectedFolder(String)
    }

    public var description: String { TextSanitizer.clean(rawDescription) }

    private var rawDescription: String {
        switch self {
        case .missingFolder(let path, let folder):
            return "cannot save \(path): folder \(folder) does not exist"
        case .notAFolder(let path):
            return "cannot save \(path): part of the path is a file, not a folder"
        case .isAFolder(let path):
            return "cannot save \(path): it is a folder; name a file in it"
        case .notARegularFile(let path):
            return "cannot save \(path): it is not a regular file"
        case .notWritable(let path, let folder, let reason):
            return "cannot save \(path): folder \(folder) is not writable (\(reason))"
        case .diskFull(let path, let needed, let available):
            if let needed, let available {
                return "cannot save \(path): it needs \(Self.megabytes(needed)) but the disk has \(Self.megabytes(available)) free"
            }
            return "cannot save \(path): the disk is full"
        case .failed(let path, let operation, let reason):
            return "cannot save \(path): \(operation) failed (\(reason))"
        case .refused(let path, .otherKind(let kind, let isLink)):
            let what = isLink ? "is a symbolic link to a file that is not \(kind)" : "is a file that is not \(kind)"
            return "not saving \(path): it \(what); name another file, or give --force to replace it"
        case .refused(let path, .protectedFolder(let folder)):
            return "not saving \(path): it is in \(folder)/, which holds the shipped weights; name a file elsewhere, or give --force to write there"
        }
    }

    /// The error for a failed system call that set `code` (an errno value) while saving `path`.
    static func from(errno code: Int32, path: String, folder: String, operation: String) -> FileWriteError {
        let reason = String(cString: strerror(code))
        switch code {
        case ENOENT: return .missingFolder(path: path, folder: folder)
        case ENOTDIR: return .notAFolder(path: path)
        case EISDIR: return .isAFolder(path: path)
        case EACCES, EPERM, EROFS: return .notWritable(path: path, folder: folder, reason: reason)
        case ENOSPC, EDQUOT: return .diskFull(path: path, neededBytes: nil, availableBytes: nil)
        default: return .failed(path: path, operation: operation, reason: reason)
        }
    }

    private static func megabytes(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? String(format: "%.1f MB", Double(bytes) / Double(1 << 20)) : "\(bytes) bytes"
    }
}
