import LetterData

/// What decoded images of any model's geometry may become in a picture: how many may be decoded for
/// one (`check`), and the grey level of a decoded value (`greyLevel`). `TilePicture` lays them out.
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
