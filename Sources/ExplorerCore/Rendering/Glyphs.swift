/// Plain-ASCII stand-ins for the characters the explorer draws, for terminals whose character set is
/// not Unicode (LANG=C): applied to a whole frame as its last step, so no other code has to care.
public enum Glyphs {
    static let replacements: [Character: Character] = [
        "─": "-", "│": "|", "╭": "+", "╮": "+", "╰": "+", "╯": "+",
        "…": "~", "·": "-", "—": "-", "−": "-", "→": ">", "←": "<", "↑": "^", "↓": "v", "²": "2", "σ": "s", "β": "b",
        "✛": "+", "◆": "*", "•": "*", "▲": "^", "✎": "D", "○": "o", "●": "O",
        "░": ".", "▒": ":", "▓": "#", "█": "@", "▀": "#",
        "▁": "_", "▂": ".", "▃": "-", "▄": "=", "▅": "+", "▆": "*", "▇": "#",
    ]

    /// The ASCII character drawn for `character`.
    public static func ascii(_ character: Character) -> Character {
        if character.isASCII { return character }
        if let replacement = replacements[character] { return replacement }
        if let scalar = character.unicodeScalars.first, (0x2800 ... 0x28FF).contains(scalar.value) { return "." }   // Braille
        return "?"
    }

    /// `buffer` with every character made ASCII.
    public static func asciiOnly(_ buffer: CellBuffer) -> CellBuffer {
        var out = buffer
        for y in 0 ..< buffer.height {
            for x in 0 ..< buffer.width where !buffer[x, y].character.isASCII {
                out[x, y] = Cell(ascii(buffer[x, y].character), buffer[x, y].style)
            }
        }
        return out
    }
}
