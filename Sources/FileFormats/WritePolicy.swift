import Foundation
import Synchronization

/// The kinds of file the program writes, each recognised by its content (never by its name), so that a
/// command replaces only a file of its own kind: `train --out notes.png` must not replace a picture,
/// `grid --out notes.png` must not replace a text file that happens to be called that.
public enum OutputKind: String, Sendable, CaseIterable {
    /// A safetensors file: an 8-byte little-endian header length under 100 MB, then a JSON object.
    case weights
    /// A PNG picture: its 8-byte signature.
    case png
    /// An SVG picture: `<?xml` or `<svg` after blanks (and a byte order mark).
    case svg
    /// An IDX data file (images or labels): two zero bytes, the unsigned-byte type 0x08, 1...4 dimensions.
    case idx
    /// Gzipped IDX data (`.idx.gz`): a gzip stream whose first inflated bytes are an IDX header. Any
    /// other gzip file (compressed notes, a tarball) is not this kind, so a picture save never replaces it.
    case idxGzip

    /// "a weights file", "a PNG picture": for the refusal.
    public var noun: String {
        switch self {
        case .weights: return "a weights file"
        case .png: return "a PNG picture"
        case .svg: return "an SVG picture"
        case .idx: return "an IDX data file"
        case .idxGzip: return "gzipped IDX data"
        }
    }

    /// An IDX magic number of unsigned bytes: two zero bytes, the type 0x08, 1...4 dimensions.
    private static func isIDXHeader(_ head: [UInt8]) -> Bool {
        head.count >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08 && (1 ... 4).contains(head[3])
    }

    /// Bytes read from the start of a file to recognise it.
    static let headLength = 256

    /// Whether a file starting with `head` (at most `headLength` bytes; all of a shorter file) is of this
    /// kind. An empty file is every kind's: it holds nothing to lose (an interrupted copy leaves one).
    public func recognises(_ head: [UInt8]) -> Bool {
        if head.isEmpty { return true }
        switch self {
        case .weights:
            guard head.count >= 9 else { return false }
            let length = head.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            return length <= 100_000_000 && head[8] == UInt8(ascii: "{")
        case .png:
            return head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case .svg:
            var text = Substring(String(decoding: head, as: UTF8.self))
            if text.first == "\u{FEFF}" { text = text.dropFirst() }
            text = text.drop { $0.isWhitespace }
            return text.hasPrefix("<?xml") || text.hasPrefix("<svg")
        case .idx:
            return Self.isIDXHeader(head)
        case .idxGzip:
            return head.count >= 3 && head[0] == 0x1F && head[1] == 0x8B && head[2] == 8
                && Self.isIDXHeader(GzipPeek.head(head, count: 4))
        }
    }
}

/// What a save may replace and where it may write: the one write policy of every output (`train --out`,
/// the picture commands, `compare --out`, the explorer's `s`, and any command added later: pass
/// `.output(kind, force:)` to `AtomicFile.write` or `checkWritable`).
///
/// Without `force`, a save replaces only a file of its `kind` (`OutputKind`, recognised by content; a
/// symbolic link is judged by what it points to), and writes nothing into a protected folder (the
/// shipped `Weights/`), whatever path or symbolic link leads there: paths are compared after resolving
/// every link. With `force`, anything that is a regular file may be replaced, anywhere.
public struct WritePolicy: Sendable {
    /// The kind of file written; nil for the program's own internal files (any file may be replaced).
    public var kind: OutputKind?
    public var force: Bool
    /// Folders written into only with `force`.
    public var protectedFolders: [String]

    public init(kind: OutputKind?, force: Bool, protectedFolders: [String]) {
        self.kind = kind
        self.force = force
        self.protectedFolders = protectedFolders
    }

    /// Anything, anywhere: files the program makes for itself (test data sets, temporary copies).
    public static let anything = WritePolicy(kind: nil, force: true, protectedFolders: [])

    /// The policy of a user-facing output of `kind`: `force` from the command's `--force`, the protected
    /// folders those the executable registered (`protect(_:)`). A nil kind is for files of no kind listed
    /// here (`export`'s TSV and pbtxt files) whose command has already refused to replace them without
    /// `--force`: only the protected folders are checked.
    public static func output(_ kind: OutputKind?, force: Bool) -> WritePolicy {
        WritePolicy(kind: kind, force: force, protectedFolders: registry.withLock { $0 })
    }

    /// Registers folders no output is written into without `--force`: the executable registers the
    /// shipped `Weights/` once at start.
    public static func protect(_ folders: [String]) { registry.withLock { $0 = folders } }

    /// Why writing `target` (the real path a save would replace or create; `isLink` when the path named
    /// was a symbolic link) is refused, or nil. `head` gives the first bytes of an existing file.
    func refusal(target: String, exists: Bool, isLink: Bool, head: () -> [UInt8]?) -> FileWriteError.Refusal? {
        guard !force else { return nil }
        let folder = Self.realFolder(of: target)
        for protected in protectedFolders {
            guard let real = Self.realPath(protected) else { continue }
            if folder == real || folder.hasPrefix(real.hasSuffix("/") ? real : real + "/") {
                return .protectedFolder((protected as NSString).lastPathComponent)
            }
        }
        guard exists, let kind else { return nil }
        if let bytes = head(), kind.recognises(bytes) { return nil }
        return .otherKind(kind.noun, isLink: isLink)
    }

    /// The absolute path with every symbolic link resolved, or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let real = realpath(path.isEmpty ? "." : path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// The real path of the folder `path` is (or would be) in.
    static func realFolder(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return realPath(folder.isEmpty ? "." : folder) ?? folder
    }

    /// The protected folders the executable registered.
    private static let registry = Mutex<[String]>([])
}
