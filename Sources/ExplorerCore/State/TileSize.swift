/// The size of one decoded letter on the plane, in terminal cells. A cell shows two pixels stacked
/// (`PixelArt`), so a tile `width` x `height` draws `width` x `2 * height` pixels: square when the
/// width is twice the height. `<` and `>` step through `ladder`; unless the user chose a size, the
/// tile grows with the plane pane (`automatic(for:)`).
public struct TileSize: Equatable, Sendable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// From the smallest readable letter (7 x 8 pixels) to a full-size one (28 x 28 pixels).
    public static let ladder: [TileSize] = [(7, 4), (8, 4), (10, 5), (12, 6), (14, 7), (16, 8), (20, 10), (24, 12), (28, 14)]
        .map { TileSize(width: $0.0, height: $0.1) }
    public static let smallest = ladder[0]
    public static let largest = ladder[ladder.count - 1]

    /// Blank cells between neighbouring tiles (and around the grid): room for the cursor's frame.
    public static let gap = 1

    /// The grid an automatic tile size aims for: at least this many letters across and down; in a
    /// pane too small for that (80x24), at least the smaller grid.
    public static let preferredGrid = (columns: 6, rows: 4)
    public static let smallPaneGrid = (columns: 5, rows: 3)

    public var description: String { "\(width)x\(height)" }

    /// Tiles of this size that fit in `length` cells, with a gap before each and after the last.
    static func count(of size: Int, in length: Int) -> Int { (length - gap) / (size + gap) }

    /// How many tiles of this size fit in `area`, across and down.
    func fit(in area: Rect) -> (columns: Int, rows: Int) {
        (Self.count(of: width, in: area.width), Self.count(of: height, in: area.height))
    }

    /// The largest size that still shows the preferred grid in `area`; in a pane too small for that,
    /// the largest that shows the small-pane grid, else the smallest size.
    public static func automatic(for area: Rect) -> TileSize {
        func largest(showing grid: (columns: Int, rows: Int)) -> TileSize? {
            ladder.last { size in
                let fit = size.fit(in: area)
                return fit.columns >= grid.columns && fit.rows >= grid.rows
            }
        }
        return largest(showing: preferredGrid) ?? largest(showing: smallPaneGrid) ?? smallest
    }

    /// This size, or the largest smaller one of the ladder that fits `area` once (a size chosen on a
    /// large terminal may not fit after a resize).
    public func fitting(_ area: Rect) -> TileSize {
        let fit = fit(in: area)
        if fit.columns >= 1 && fit.rows >= 1 { return self }
        return Self.ladder.last { $0.width <= width && $0.fit(in: area).columns >= 1 && $0.fit(in: area).rows >= 1 } ?? Self.smallest
    }

    /// The ladder's position of the nearest size at most this wide.
    var ladderIndex: Int { Self.ladder.lastIndex { $0.width <= width } ?? 0 }

    /// One step along the ladder: larger (`by` 1) or smaller (-1), stopping at the ends.
    public func stepped(by offset: Int) -> TileSize {
        Self.ladder[min(max(ladderIndex + offset, 0), Self.ladder.count - 1)]
    }
}
