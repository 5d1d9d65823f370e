import Support

/// Display names of the classes of the data sets the loader knows.
enum ClassNames {
    static let digits: [Int: String] = Dictionary(uniqueKeysWithValues: (0 ... 9).map { ($0, String($0)) })

    static let fashion: [Int: String] = Dictionary(uniqueKeysWithValues: [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ].enumerated().map { ($0.offset, $0.element) })

    /// Labels a mapping file (and a CSV) may use.
    static let labelRange = 0 ... 65_535

    /// `emnist-letters-mapping.txt`: lines `label code [code ...]` of decimal character codes, e.g.
    /// `1 65 97` (A and a merged in class 1). The name is the lower-case letter when there is one, else
    /// the character itself, so that byclass's `10 65` (A) and `36 97` (a) stay apart.
    /// A mapping file is one short line per class: 64 KB holds thousands of them.
    static let maximumMappingBytes = 64 << 10

    /// Throws `DataError.labelOutsideClasses` at the first image of `set` whose label `names` does not
    /// name, giving its record number (from 1) in `path`.
    static func checkLabels(_ set: ImageSet, in names: [Int: String], path: String) throws {
        guard let index = set.labels.firstIndex(where: { names[$0] == nil }) else { return }
        let labels = names.keys.sorted()
        let known = labels.count == (labels.last! - labels.first! + 1) ? "\(labels.first!)...\(labels.last!)"
            : TextSanitizer.list(labels.map(String.init), limit: 120)
        throw DataError.labelOutsideClasses(path: path, record: index + 1, label: set.labels[index], classes: "labels " + known)
    }

    static func readMapping(_ path: String) throws -> [Int: String] {
        try parseMapping(FileBytes.read(path, limit: maximumMappingBytes), path: path)
    }

    /// Blank lines, LF, CRLF and CR line ends, tabs and any number of UTF-8 byte order marks at the start
    /// are accepted. Each code must be a printable character (a class name is shown on one line), and
    /// each label may appear once.
    static func parseMapping(_ bytes: [UInt8], path: String) throws -> [Int: String] {
        let text = String(decoding: bytes[ByteOrderMarks.end(of: bytes)...], as: UTF8.self)
        var names: [Int: String] = [:]
        var codes: [UInt32: Int] = [:]   // each character code's label: a code names one class only
        // Lines split on scalars, not Characters: Swift reads "\r\n" as one Character, which is neither "\r" nor "\n".
        for (index, line) in Self.lines(text.unicodeScalars).enumerated() {
            func fail(_ reason: String) -> DataError { .badMapping(path: path, line: index + 1, reason: reason) }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String(String.UnicodeScalarView($0)) }
            if fields.isEmpty { continue }
            guard let label = Int(fields[0]), labelRange.contains(label) else {
                throw fail("label \(DataError.quoted(fields[0].unicodeScalars)) is not a whole number in \(labelRange)")
            }
            guard fields.count >= 2 else { throw fail("label \(label) has no character code") }
            guard names[label] == nil else { throw fail("label \(label) appears twice") }
            var characters: [Character] = []
            for field in fields.dropFirst() {
                guard let code = UInt32(field), let scalar = Unicode.Scalar(code),
                      !scalar.properties.generalCategory.isControlOrSeparator else {
                    throw fail("\(DataError.quoted(field.unicodeScalars)) is not the code of a printable character")
                }
                if let other = codes[code], other != label {
                    throw fail("character code \(code) ('\(Character(scalar))') is label \(other)'s already; two classes would have one name")
                }
                codes[code] = label
                characters.append(Character(scalar))
            }
            let lower = characters.first { $0.isLowercase } ?? characters[0]
            names[label] = String(lower)
        }
        guard !names.isEmpty else { throw DataError.badMapping(path: path, line: 1, reason: "the file names no classes") }
        return names
    }

    /// The lines of `text`, ended by LF, CRLF or CR.
    private static func lines(_ text: String.UnicodeScalarView) -> [ArraySlice<Unicode.Scalar>] {
        let scalars = Array(text)
        var lines: [ArraySlice<Unicode.Scalar>] = []
        var start = 0, i = 0
        while i < scalars.count {
            if scalars[i] == "\n" || scalars[i] == "\r" {
                lines.append(scalars[start ..< i])
                i += scalars[i] == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" ? 2 : 1
                start = i
            } else {
                i += 1
            }
        }
        lines.append(scalars[start...])
        return lines
    }
}

private extension Unicode.GeneralCategory {
    /// Characters that would break or blank a one-line display: controls, format characters, line and
    /// paragraph separators, spaces, surrogates and unassigned code points.
    var isControlOrSeparator: Bool {
        switch self {
        case .control, .format, .lineSeparator, .paragraphSeparator, .spaceSeparator, .surrogate, .privateUse, .unassigned:
            return true
        default:
            return false
        }
    }
}
