import LetterData

/// What a picture command draws: a title row, then `rows x columns` greyscale tiles (decoded or data
/// images, ink white on black like the data) with a gap between them, a label left of each row and under
/// each column, and optional captions for the two axes. The renderers (`png(scale:)`, `svg(scale:)`)
/// share `TilePicture.Layout`, which places everything in picture units: one unit is one image pixel at
/// scale 1.
public struct TilePicture: Sendable {
    public var title: String
    public var rows: Int
    public var columns: Int
    public var tileWidth: Int
    public var tileHeight: Int
    /// `rows * columns` tiles of `tileWidth * tileHeight` grey values, row by row, each tile row-major.
    public var tiles: [UInt8]
    /// One per row (or none): drawn right-aligned left of the row.
    public var rowLabels: [String]
    /// One per column (or none): drawn centred under the column, thinned out where they would touch.
    public var columnLabels: [String]
    /// A line under the column labels, e.g. "z1 →".
    public var columnCaption: String?
    /// A line over the row labels, e.g. "z2 ↑".
    public var rowCaption: String?
    /// The images an `.idx` output holds when they are not the tiles (nil: the tiles): `ImageStack`.
    public var dataImages: ImageStack?

    public init(title: String, rows: Int, columns: Int, tileWidth: Int = ImageSet.side, tileHeight: Int = ImageSet.side,
                tiles: [UInt8], rowLabels: [String] = [], columnLabels: [String] = [],
                columnCaption: String? = nil, rowCaption: String? = nil) {
        precondition(rows > 0 && columns > 0 && tileWidth > 0 && tileHeight > 0, "a picture has at least one tile")
        precondition(tiles.count == rows * columns * tileWidth * tileHeight, "one image per tile")
        precondition(rowLabels.isEmpty || rowLabels.count == rows, "one label per row, or none")
        precondition(columnLabels.isEmpty || columnLabels.count == columns, "one label per column, or none")
        self.title = title
        self.rows = rows
        self.columns = columns
        self.tileWidth = tileWidth
        self.tileHeight = tileHeight
        self.tiles = tiles
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.columnCaption = columnCaption
        self.rowCaption = rowCaption
    }

    /// Probabilities in [0, 1] (as the decoder returns them) as grey values 0...255.
    /// Clamped, NaN as background (`DecodedSheet.greyLevel`).
    public static func greyValues(_ probabilities: [Float]) -> [UInt8] {
        probabilities.map(DecodedSheet.greyLevel)
    }

    /// Decoded images of `geometry` (C x H x W each) as tiles of `height x width` grey values: a model of
    /// several channels is shown as the mean of its channels.
    public static func greyValues(_ decoded: [Float], geometry: ImageGeometry) -> [UInt8] {
        let plane = geometry.height * geometry.width, channels = geometry.channels
        guard channels > 1 else { return greyValues(decoded) }
        let count = decoded.count / (plane * channels)
        var tiles = [UInt8](repeating: 0, count: count * plane)
        for image in 0 ..< count {
            for pixel in 0 ..< plane {
                var sum: Float = 0
                for c in 0 ..< channels { sum += decoded[(image * channels + c) * plane + pixel] }
                tiles[image * plane + pixel] = DecodedSheet.greyLevel(sum / Float(channels))
            }
        }
        return tiles
    }

    /// Grey of the paper around the tiles, and of the text on it.
    public static let paper: UInt8 = 255, ink: UInt8 = 0

    public var layout: Layout { Layout(self) }

    /// Where each part of the picture goes, in picture units (multiplied by the scale when drawn).
    public struct Layout: Sendable {
        /// Blank border around everything.
        public static let margin = 6
        /// Paper between neighbouring tiles.
        public static let gap = 3
        /// Space between a text line and what it labels.
        public static let textSpacing = 4
        /// Least blank space between two column labels; closer ones are thinned out.
        public static let labelSpacing = BitmapFont.advance + 2

        public let width: Int
        public let height: Int
        /// Left edge of the tiles, and top edge of the first row of tiles.
        public let tilesLeft: Int
        public let tilesTop: Int
        /// Distance from one tile's left (top) edge to the next one's.
        public let columnPitch: Int
        public let rowPitch: Int
        /// A text line: its left edge and top edge (the glyphs are `BitmapFont.glyphHeight` tall).
        public struct TextLine: Sendable, Equatable {
            public var text: String
            public var x: Int
            public var y: Int
        }
        /// Every text line of the picture, already thinned and aligned.
        public let texts: [TextLine]

        init(_ picture: TilePicture) {
            let margin = Self.margin, gap = Self.gap, spacing = Self.textSpacing
            let lineHeight = BitmapFont.glyphHeight + spacing
            columnPitch = picture.tileWidth + gap
            rowPitch = picture.tileHeight + gap
            let tilesWidth = picture.columns * columnPitch - gap, tilesHeight = picture.rows * rowPitch - gap
            let labelColumn = picture.rowLabels.map(BitmapFont.width).max() ?? 0
            let rowCaptionWidth = picture.rowCaption.map(BitmapFont.width) ?? 0
            let left = margin + (labelColumn > 0 ? labelColumn + spacing : 0)
            var top = margin + (picture.title.isEmpty ? 0 : lineHeight + spacing)
            var texts: [TextLine] = []
            if !picture.title.isEmpty { texts.append(TextLine(text: picture.title, x: margin, y: margin)) }
            if let caption = picture.rowCaption {
                texts.append(TextLine(text: caption, x: max(margin, left - spacing - rowCaptionWidth), y: top))
                top += lineHeight
            }
            tilesTop = top
            for (row, label) in picture.rowLabels.enumerated() {
                let y = top + row * rowPitch + (picture.tileHeight - BitmapFont.glyphHeight) / 2
                texts.append(TextLine(text: label, x: left - spacing - BitmapFont.width(of: label), y: y))
            }
            var bottom = top + tilesHeight
            if !picture.columnLabels.isEmpty {
                let y = bottom + spacing
                for column in Self.shownColumns(picture.columnLabels, pitch: columnPitch) {
                    let label = picture.columnLabels[column]
                    let centre = left + column * columnPitch + picture.tileWidth / 2
                    texts.append(TextLine(text: label, x: centre - BitmapFont.width(of: label) / 2, y: y))
                }
                bottom = y + BitmapFont.glyphHeight
            }
            if let caption = picture.columnCaption {
                let y = bottom + spacing
                texts.append(TextLine(text: caption, x: left + (tilesWidth - BitmapFont.width(of: caption)) / 2, y: y))
                bottom = y + BitmapFont.glyphHeight
            }
            // Labels may stick out left of the tiles' centre line; shift everything right if one would
            // cross the margin, and make the picture wide enough for the longest line.
            let shift = max(0, margin - (texts.map(\.x).min() ?? margin))
            self.texts = texts.map { TextLine(text: $0.text, x: $0.x + shift, y: $0.y) }
            let textRight = self.texts.map { $0.x + BitmapFont.width(of: $0.text) }.max() ?? 0
            tilesLeft = left + shift
            width = max(tilesLeft + tilesWidth, textRight) + margin
            height = bottom + margin
        }

        /// Top-left corner of a tile.
        public func tileOrigin(row: Int, column: Int) -> (x: Int, y: Int) {
            (tilesLeft + column * columnPitch, tilesTop + row * rowPitch)
        }

        /// The columns whose labels are drawn: every k-th, k as small as keeps `labelSpacing` between
        /// neighbours, preferring a k that also shows the last column.
        static func shownColumns(_ labels: [String], pitch: Int) -> [Int] {
            let widest = labels.map(BitmapFont.width).max() ?? 0
            let needed = max(1, (widest + labelSpacing + pitch - 1) / pitch)
            let last = labels.count - 1
            let upper = min(last, 2 * needed)
            let stride = needed <= upper ? (needed ... upper).first { last % $0 == 0 } ?? needed : needed
            return Array(Swift.stride(from: 0, through: last, by: stride))
        }
    }

    /// Coordinates this large or larger (in magnitude) are labelled in scientific notation: their
    /// hundredths would not fit an Int, and no prior puts mass there anyway (a command line may ask).
    static let plainLabelLimit: Float = 1e9

    /// A coordinate as a short label: at most two decimals, no trailing zeros, no "-0"; a huge or
    /// non-finite one in scientific notation ("1e+30", "nan").
    public static func label(_ value: Float) -> String {
        guard abs(value) < plainLabelLimit else { return String(format: "%.2g", Double(value)) }
        let hundredths = Int((value * 100).rounded())
        if hundredths == 0 { return "0" }
        let sign = hundredths < 0 ? "-" : ""
        let whole = abs(hundredths) / 100, fraction = abs(hundredths) % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0\(fraction)" : String(fraction))
        return "\(sign)\(whole).\(digits)"
    }
}
