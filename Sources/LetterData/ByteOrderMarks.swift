/// UTF-8 byte order marks (EF BB BF) at the start of a text file. Editors add one; a file saved through
/// several tools can carry more, and each would otherwise become part of the first field.
enum ByteOrderMarks {
    static let mark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The index of the first byte after every leading byte order mark.
    static func end(of bytes: some Collection<UInt8>) -> Int {
        var offset = 0
        var rest = bytes[...]
        while rest.starts(with: mark) {
            rest = rest.dropFirst(mark.count)
            offset += mark.count
        }
        return offset
    }
}
