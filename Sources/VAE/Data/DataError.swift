/// Everything that can be wrong with a data set on disk, each with a one-line message for the user.
public enum DataError: Error, Equatable, CustomStringConvertible {
    case missingFile(String)
    case noDataSetFound(directory: String)
    case unreadable(path: String, reason: String)
    case badMagic(path: String, found: UInt32, expected: UInt32)
    case badImageSize(path: String, rows: Int, columns: Int)
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    case countMismatch(images: Int, labels: Int)
    case badCSVRow(path: String, line: Int, reason: String)
    case badMapping(path: String, line: Int)
    case unknownClass(String, available: [String])
    case empty(String)

    public var description: String {
        switch self {
        case .missingFile(let path):
            return "data file not found: \(path)"
        case .noDataSetFound(let directory):
            return "no data set in \(directory): expected emnist-letters-*-ubyte(.gz), emnist-letters-*.csv or train-/t10k-*-ubyte(.gz)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .badMagic(let path, let found, let expected):
            return "\(path) is not an IDX file of the expected kind (magic 0x\(String(found, radix: 16)), expected 0x\(String(expected, radix: 16)))"
        case .badImageSize(let path, let rows, let columns):
            return "\(path) holds \(rows)x\(columns) images; only 28x28 is supported"
        case .truncated(let path, let expected, let actual):
            return "\(path) is truncated: expected \(expected) bytes, found \(actual)"
        case .countMismatch(let images, let labels):
            return "image and label files disagree: \(images) images but \(labels) labels"
        case .badCSVRow(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .badMapping(let path, let line):
            return "\(path):\(line): expected 'label code [code]' with decimal character codes"
        case .unknownClass(let name, let available):
            return "no class named '\(name)' in this data set (classes: \(available.joined(separator: " ")))"
        case .empty(let what):
            return "\(what) holds no images"
        }
    }
}
