/// Kinds of file that get passed where weights belong (a picture `grid` wrote, a data set, an archive),
/// recognised by their first bytes so that the error names them: "x.png is a PNG image, not a
/// safetensors file" instead of the header length their first 8 bytes happen to spell. Other programs'
/// models (PyTorch's zip or pickle checkpoints, Keras' HDF5) are `ForeignModelFile`'s, checked first.
enum ForeignFileKind {
    /// (magic bytes, what the file is), checked in order.
    static let signatures: [([UInt8], String)] = [
        ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        (Array("GIF8".utf8), "a GIF image"),
        (Array("<svg".utf8), "an SVG picture"),
        (Array("<?xml".utf8), "an XML file (an SVG picture?)"),
        ([0x1F, 0x8B], "a gzip file (a compressed data set?)"),
        ([0x00, 0x00, 0x08, 0x03], "an IDX image file (data, not weights)"),
        ([0x00, 0x00, 0x08, 0x01], "an IDX label file (data, not weights)"),
    ]

    /// What `first` (a file's first bytes) says the file is, or nil for none of the known kinds.
    static func recognise(_ first: some Collection<UInt8>) -> String? {
        let bytes = Array(first.prefix(16))
        return signatures.first { magic, _ in bytes.starts(with: magic) }?.1
    }
}
