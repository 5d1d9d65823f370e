/// Maps between plane coordinates and the plane pane: a grid of square cells of the plane, each drawn
/// as a tile of `tile` characters with `TileSize.gap` blank cells between tiles; the grid is centred
/// in the pane. The shorter side of the grid spans `2 * halfWidth`.
///
/// Screen positions are continuous: a plane cell maps onto its tile plus half a gap either side, so
/// the centre of a plane cell lands on the centre of its tile.
public struct PlaneGeometry: Equatable, Sendable {
    public let area: Rect
    public let tile: TileSize
    public let columns: Int
    public let rows: Int
    /// Width (and height) of one grid cell in plane units.
    public let cellSize: Float
    public let left: Float
    public let top: Float
    /// Where the first tile's slot (gap, then tile) starts, relative to the area.
    private let originX: Int
    private let originY: Int

    public init(area: Rect, state: ExplorerState) {
        self.init(area: area, tile: state.tileSize(for: area), halfWidth: state.halfWidth, centre: state.centre.pair)
    }

    public init(area: Rect, tile: TileSize, halfWidth: Float, centre: (x: Float, y: Float)) {
        let tile = tile.fitting(area)
        self.area = area
        self.tile = tile
        let fit = tile.fit(in: area)
        columns = max(1, fit.columns)
        rows = max(1, fit.rows)
        originX = max(0, (area.width - columns * (tile.width + TileSize.gap) - TileSize.gap) / 2)
        originY = max(0, (area.height - rows * (tile.height + TileSize.gap) - TileSize.gap) / 2)
        cellSize = 2 * halfWidth / Float(min(columns, rows))
        left = centre.x - Float(columns) * cellSize / 2
        top = centre.y + Float(rows) * cellSize / 2
    }

    public var right: Float { left + Float(columns) * cellSize }
    public var bottom: Float { top - Float(rows) * cellSize }

    private var pitch: (x: Int, y: Int) { (tile.width + TileSize.gap, tile.height + TileSize.gap) }
    /// Where plane x = `left` and y = `top` fall, in cells relative to the area.
    private var start: (x: Float, y: Float) {
        (Float(originX) + Float(TileSize.gap) / 2, Float(originY) + Float(TileSize.gap) / 2)
    }

    /// The plane point at the centre of grid cell (row, column).
    public func centre(row: Int, column: Int) -> (x: Float, y: Float) {
        (left + (Float(column) + 0.5) * cellSize, top - (Float(row) + 0.5) * cellSize)
    }

    /// The screen rectangle of the tile of grid cell (row, column).
    public func tileRect(row: Int, column: Int) -> Rect {
        Rect(x: area.x + originX + TileSize.gap + column * pitch.x, y: area.y + originY + TileSize.gap + row * pitch.y,
             width: tile.width, height: tile.height)
    }

    /// The grid cell holding a plane point (nil outside the grid).
    public func gridCell(of point: (x: Float, y: Float)) -> (row: Int, column: Int)? {
        let column = ((point.x - left) / cellSize).rounded(.down), row = ((top - point.y) / cellSize).rounded(.down)
        guard column.isFinite, row.isFinite, column >= 0, row >= 0, column < Float(columns), row < Float(rows) else { return nil }
        return (Int(row), Int(column))
    }

    /// All cell centres, row by row, as `[x0, y0, x1, y1, ...]` for a batch decode.
    public var cellCentres: [Float] {
        var points: [Float] = []
        points.reserveCapacity(rows * columns * 2)
        for row in 0 ..< rows {
            for column in 0 ..< columns {
                let c = centre(row: row, column: column)
                points += [c.x, c.y]
            }
        }
        return points
    }

    /// Fractional character position of a plane point within the pane (nil outside the grid).
    public func screenPosition(_ point: (x: Float, y: Float)) -> (column: Float, row: Float)? {
        let column = start.x + (point.x - left) / cellSize * Float(pitch.x)
        let row = start.y + (top - point.y) / cellSize * Float(pitch.y)
        guard column >= start.x, row >= start.y, column < start.x + Float(columns * pitch.x),
              row < start.y + Float(rows * pitch.y), column < Float(area.width), row < Float(area.height) else { return nil }
        return (column, row)
    }

    /// The plane point at the centre of the screen cell (`column`, `row`), nil outside the grid.
    public func point(column: Int, row: Int) -> (x: Float, y: Float)? {
        let c = Float(column - area.x) + 0.5 - start.x, r = Float(row - area.y) + 0.5 - start.y
        guard c >= 0, r >= 0, c < Float(columns * pitch.x), r < Float(rows * pitch.y) else { return nil }
        return (left + c / Float(pitch.x) * cellSize, top - r / Float(pitch.y) * cellSize)
    }
}
