import VAE

/// Decoded letters laid out in rows and columns as one greyscale PNG, ink white on black like the
/// data, one cell of the model's image geometry a letter (`DecodedSheet`).
enum LetterSheet {
    /// `decoded` holds `rows * columns` images of the model's `geometry`, row by row.
    static func png(_ decoded: [Float], rows: Int, columns: Int, geometry: ImageGeometry) -> (bytes: [UInt8], width: Int, height: Int) {
        let sheet = DecodedSheet.grey(decoded, rows: rows, columns: columns, geometry: geometry)
        return (PNGEncoder.encodeGray(width: sheet.width, height: sheet.height, pixels: sheet.pixels), sheet.width, sheet.height)
    }
}
