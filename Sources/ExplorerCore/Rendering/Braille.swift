/// Braille patterns as 2x4 dot bitmaps: each character cell holds 8 dots, so a scatter plot or a
/// curve gets four times the resolution of plain characters.
public enum Braille {
    /// Bit of dot (column 0...1, row 0...3) in the Unicode pattern U+2800 + bits.
    static func bit(column: Int, row: Int) -> UInt32 {
        let bits: [[UInt32]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
        return bits[row][column]
    }

    public static func character(_ bits: UInt32) -> Character {
        Character(Unicode.Scalar(0x2800 + (bits & 0xFF))!)
    }
}
