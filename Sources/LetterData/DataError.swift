import Support

/// Everything that can be wrong with a data set on disk, each with a one-line message for the user.
public enum DataError: Error, Equatable, CustomStringConvertible {
    case missingFile(String)
    /// `--data` names a folder that is not there, or a file where a folder belongs.
    case missingFolder(String)
    case notAFolder(String)
    case noDataSetFound(directory: String)
    case unreadable(path: String, reason: String)
    /// The file, or what its gzip stream inflates to, is larger than the loaders accept.
    case tooLarge(path: String, limit: Int)
    case badMagic(path: String, found: UInt32, expected: UInt32)
    case badImageSize(path: String, rows: Int, columns: Int)
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    /// The header's dimensions multiply to more bytes than any file can hold.
    case impossibleSize(path: String, count: Int)
    case countMismatch(images: Int, labels: Int)
    case badCSVRow(path: String, line: Int, reason: String)
    case badMapping(path: String, line: Int, reason: String)
    case unknownClass(String, available: [String])
    /// A label (of image `record`, counted from 1) that the data set's classes do not name: it would
    /// become a class of its own, named by its number, and be saved into a model.
    case labelOutsideClasses(path: String, record: Int, label: Int, classes: String)
    case empty(String)

    public var description: String {
        TextSanitizer.clean(rawDescription)
    }

    private var rawDescription: String {
        switch self {
        case .missingFile(let path):
            return "data file not found: \(path)"
        case .missingFolder(let path):
            return "no such folder: \(path) (--data takes the folder holding a data set's files, or 'synthetic')"
        case .notAFolder(let path):
            return "\(path) is a file, not a folder: --data takes the folder that holds the data set's files"
        case .noDataSetFound(let directory):
            return "no data set in \(directory): expected emnist-letters-*-ubyte(.gz), emnist-letters-*.csv or train-/t10k-*-ubyte(.gz)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .tooLarge(let path, let limit):
            let size = limit >= 1 << 30 && limit % (1 << 30) == 0 ? "\(limit >> 30) GiB"
                : limit >= 1 << 20 ? "\(limit >> 20) MiB" : limit >= 1 << 10 ? "\(limit >> 10) KiB" : "\(limit) bytes"
            return "\(path) is larger than the \(size) a data file may be (once inflated)"
        case .badMagic(let path, let found, let expected):
            return "\(path) is not an IDX file of the expected kind (magic 0x\(String(found, radix: 16)), expected 0x\(String(expected, radix: 16)))"
        case .badImageSize(let path, let rows, let columns):
            return "\(path) holds \(rows)x\(columns) images; only 28x28 is supported"
        case .truncated(let path, let expected, let actual):
            return "\(path) is truncated: expected \(expected) bytes, found \(actual)"
        case .impossibleSize(let path, let count):
            return "\(path) claims \(count) items, more than a file can hold"
        case .countMismatch(let images, let labels):
            return "image and label files disagree: \(images) images but \(labels) labels"
        case .badCSVRow(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .badMapping(let path, let line, let reason):
            return "\(path):\(line): \(reason) (expected 'label code [code ...]' with decimal character codes)"
        case .unknownClass(let name, let available):
            return "no class named \(TextSanitizer.quoted(name)) in this data set (classes: \(TextSanitizer.list(available, separator: " ", limit: 200)))"
        case .labelOutsideClasses(let path, let record, let label, let classes):
            return "\(path): record \(record) has label \(label), which is not one of the data set's classes (\(classes))"
        case .empty(let what):
            return "\(what) holds no images"
        }
    }

    /// A piece of a file quoted in a message (`TextSanitizer.quoted`): unsafe characters escaped, at most
    /// `limit` characters, so that a hostile file cannot break the one-line message or drive the terminal.
    static func quoted<S: Sequence>(_ text: S, limit: Int = 24) -> String where S.Element == Unicode.Scalar {
        TextSanitizer.quoted(text, limit: limit)
    }

    static func quoted(bytes: some Collection<UInt8>, limit: Int = 24) -> String {
        TextSanitizer.quoted(bytes: bytes, limit: limit)
    }
}
