/// Display names of the classes of the data sets the loader knows.
enum ClassNames {
    static let digits: [Int: String] = Dictionary(uniqueKeysWithValues: (0 ... 9).map { ($0, String($0)) })

    static let fashion: [Int: String] = Dictionary(uniqueKeysWithValues: [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ].enumerated().map { ($0.offset, $0.element) })

    /// `emnist-letters-mapping.txt`: lines `label code [code ...]` of decimal character codes, e.g.
    /// `1 65 97` (A and a merged in class 1). The name is the lower-case letter when there is one, else
    /// the character itself, so that byclass's `10 65` (A) and `36 97` (a) stay apart.
    static func readMapping(_ path: String) throws -> [Int: String] {
        let text = String(decoding: try FileBytes.read(path), as: UTF8.self)
        var names: [Int: String] = [:]
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count >= 2, let label = Int(fields[0]) else { throw DataError.badMapping(path: path, line: index + 1) }
            var characters: [Character] = []
            for field in fields.dropFirst() {
                guard let code = UInt32(field), let scalar = Unicode.Scalar(code) else {
                    throw DataError.badMapping(path: path, line: index + 1)
                }
                characters.append(Character(scalar))
            }
            let lower = characters.first { $0.isLowercase } ?? characters[0]
            names[label] = String(lower)
        }
        guard !names.isEmpty else { throw DataError.badMapping(path: path, line: 1) }
        return names
    }
}
