/// Text that must fit a number of columns is shortened at a word boundary and ends with "…", never cut
/// inside a word; fields that do not fit are dropped, least important first.
public enum TextFit {
    public static let ellipsis: Character = "…"
    /// Characters that may end a shortened text before the "…" (a word, a number, a closing bracket).
    private static func endsCleanly(_ text: Substring) -> Bool {
        guard let last = text.last else { return false }
        return last.isLetter || last.isNumber || ")]'\"".contains(last)
    }

    /// `text` when it fits `width` columns; else its longest prefix of whole words (dropping trailing
    /// separators such as " ·", ":" or " (") followed by "…". A first word longer than the width is
    /// cut, with the "…" saying so.
    public static func shorten(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return width == 1 ? String(ellipsis) : "" }
        let characters = Array(text)
        var end = width - 1   // room for the "…"
        // Back to the start of the word that the cut would split (when it would split one).
        if characters[end].isWordCharacter {
            while end > 0 && characters[end - 1].isWordCharacter { end -= 1 }
        }
        var kept = Substring(String(characters[0 ..< end]))
        while let last = kept.last, !endsCleanly(kept) || last == " " {
            kept = kept.dropLast()
        }
        if kept.isEmpty { return String(characters[0 ..< width - 1]) + String(ellipsis) }
        return kept + String(ellipsis)
    }

    /// `fields` (in display order) joined by `separator`, keeping as many as fit `width` in the order
    /// of `importance` (indices into `fields`, most important first); when the most important field
    /// that does not fit would leave little room unused, it is shortened rather than dropped.
    public static func join(_ fields: [String], separator: String, width: Int, importance: [Int]) -> String {
        var kept = Set<Int>()
        func length(_ set: Set<Int>) -> Int {
            let chosen = fields.indices.filter { set.contains($0) }
            return chosen.reduce(0) { $0 + fields[$1].count } + max(0, chosen.count - 1) * separator.count
        }
        var firstDropped: Int?
        for index in importance where fields.indices.contains(index) {
            if length(kept.union([index])) <= width {
                kept.insert(index)
            } else if firstDropped == nil {
                firstDropped = index
            }
        }
        var parts = fields.indices.filter { kept.contains($0) }.map { fields[$0] }
        if let dropped = firstDropped {
            let room = width - length(kept) - (kept.isEmpty ? 0 : separator.count)
            if room >= minimumShortenedField {
                let position = fields.indices.filter { kept.contains($0) && $0 < dropped }.count
                parts.insert(shorten(fields[dropped], to: room), at: position)
            }
        }
        return shorten(parts.joined(separator: separator), to: width)
    }

    /// `text` broken into lines of at most `width` columns at spaces (a word longer than a line is
    /// shortened with "…").
    public static func wrap(_ text: String, to width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            let word = shorten(String(word), to: width)
            if line.isEmpty {
                line = word
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// A field shortened to fewer columns than this says too little to be worth showing.
    static let minimumShortenedField = 24
}

extension Character {
    /// Part of a word for shortening: letters, digits and the characters inside names and numbers.
    var isWordCharacter: Bool { isLetter || isNumber || "-_.,/'+#%…".contains(self) }
}
