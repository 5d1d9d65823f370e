/// Decoded images laid out in rows and columns as one greyscale picture of any model's geometry: each
/// cell is `geometry.height x geometry.width` pixels; a model of several channels is shown as the mean
/// of its channels. Ink is white on black, like the data.
public enum DecodedSheet {
    /// The most decoded values a picture may need (`cells * valueCount`): 32 M floats are 128 MB, so a
    /// 200 x 200 grid of a 16384-input model is refused rather than decoded into gigabytes.
    public static let maximumDecodedValues = 32 << 20

    /// Throws `PictureTooLarge` unless `cells` images of `geometry` fit `maximumDecodedValues`.
    public static func check(cells: Int, geometry: ImageGeometry) throws {
        guard let values = geometry.valueCount, cells >= 0 else { throw PictureTooLarge(cells: cells, geometry: geometry) }
        let (total, overflow) = values.multipliedReportingOverflow(by: cells)
        guard !overflow, total <= maximumDecodedValues else { throw PictureTooLarge(cells: cells, geometry: geometry) }
    }

    /// A probability (or any float) as a grey level: clamped to [0, 1], NaN as background.
    @inline(__always)
    public static func greyLevel(_ p: Float) -> UInt8 {
        guard p > 0 else { return 0 }   // NaN compares false: background
        return p >= 1 ? 255 : UInt8((p * 255).rounded())
    }

    /// `decoded` holds `rows * columns` images of `geometry.valueCount` values each, row by row, channel
    /// by channel within an image (C x H x W).
    public static func grey(_ decoded: [Float], rows: Int, columns: Int,
                            geometry: ImageGeometry) -> (width: Int, height: Int, pixels: [UInt8]) {
        let (cellHeight, cellWidth, channels) = (geometry.height, geometry.width, geometry.channels)
        let plane = cellHeight * cellWidth, values = plane * channels
        precondition(decoded.count == rows * columns * values, "one decoded image per cell")
        let (width, height) = (columns * cellWidth, rows * cellHeight)
        var pixels = [UInt8](repeating: 0, count: width * height)
        for cell in 0 ..< rows * columns {
            let (row, column) = (cell / columns, cell % columns)
            for y in 0 ..< cellHeight {
                for x in 0 ..< cellWidth {
                    var sum: Float = 0
                    for c in 0 ..< channels { sum += decoded[cell * values + c * plane + y * cellWidth + x] }
                    pixels[(row * cellHeight + y) * width + column * cellWidth + x] = greyLevel(sum / Float(channels))
                }
            }
        }
        return (width, height, pixels)
    }
}

/// A picture that would need more decoded values than `DecodedSheet.maximumDecodedValues`.
public struct PictureTooLarge: Error, Equatable, CustomStringConvertible {
    public var cells: Int
    public var geometry: ImageGeometry

    public var description: String {
        "\(cells) images of \(geometry.sizeDescription) are more than one picture may decode (\(DecodedSheet.maximumDecodedValues) values); ask for fewer"
    }
}

extension Float {
    /// The value clamped to [0, 1], NaN as 0: a shade or a share that is safe to turn into an index.
    @inline(__always)
    public var unitClamped: Float { self > 0 ? (self < 1 ? self : 1) : 0 }
}
