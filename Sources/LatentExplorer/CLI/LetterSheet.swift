import VAE

/// Decoded letters laid out in rows and columns as one greyscale picture, ink white on black like the
/// data, 28x28 pixels a letter.
enum LetterSheet {
    /// `decoded` holds `rows * columns` images of 784 probabilities, row by row.
    static func png(_ decoded: [Float], rows: Int, columns: Int) -> (bytes: [UInt8], width: Int, height: Int) {
        let side = ImageSet.side
        let (width, height) = (columns * side, rows * side)
        precondition(decoded.count == rows * columns * ImageSet.pixelCount, "one decoded image per cell")
        var pixels = [UInt8](repeating: 0, count: width * height)
        for cell in 0 ..< rows * columns {
            let (row, column) = (cell / columns, cell % columns)
            for y in 0 ..< side {
                for x in 0 ..< side {
                    let p = decoded[cell * ImageSet.pixelCount + y * side + x]
                    pixels[(row * side + y) * width + column * side + x] = UInt8(max(0, min(255, (p * 255).rounded())))
                }
            }
        }
        return (PNGEncoder.encodeGray(width: width, height: height, pixels: pixels), width, height)
    }
}
