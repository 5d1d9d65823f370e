/// Maps between plane coordinates and the plane pane: a grid of square cells of the plane, each drawn
/// as a tile of `tile` characters with `TileSize.gap` blank cells between tiles; the grid is centred
/// in the pane. The shorter side of the grid spans `2 * halfWidth`.
///
/// Screen positions are continuous: a plane cell maps onto its tile plus half a gap either side, so
/// the centre of a plane cell lands on the centre of its tile.
///
/// The grid is laid so that the cursor is the centre of a cell (moved by less than half a cell from
/// `centre ± extent`): the framed tile is then decoded at exactly the cursor's point, the letter the
/// side pane shows at full size, and the cursor's mark sits in the middle of its frame.
public struct PlaneGeometry: Equatable, Sendable {
    public let area: Rect
    public let tile: TileSize
    public let columns: Int
    public let rows: Int
    /// Width (and height) of one grid cell in plane units.
    public let cellSize: Float
    public let left: Float
    public let top: Float
    /// The grid cell whose centre is the cursor (nil when the cursor is off the grid).
    public let cursorCell: (row: Int, column: Int)?
    private let cursor: (x: Float, y: Float)?
    /// Where the first tile's slot (gap, then tile) starts, relative to the area.
    private let originX: Int
    private let originY: Int

    /// A fraction of a cell far above float rounding error and far below a visible shift.
    static let tieTolerance: Float = 1e-3

    public init(area: Rect, state: ExplorerState) {
        self.init(area: area, tile: state.tileSize(for: area), halfWidth: state.halfWidth, centre: state.centre.pair,
                  cursor: state.cursor.pair)
    }

    public init(area: Rect, tile: TileSize, halfWidth: Float, centre: (x: Float, y: Float), cursor: (x: Float, y: Float)? = nil) {
        let tile = tile.fitting(area)
        self.area = area
        self.tile = tile
        let fit = tile.fit(in: area)
        columns = max(1, fit.columns)
        rows = max(1, fit.rows)
        originX = max(0, (area.width - columns * (tile.width + TileSize.gap) - TileSize.gap) / 2)
        originY = max(0, (area.height - rows * (tile.height + TileSize.gap) - TileSize.gap) / 2)
        cellSize = 2 * halfWidth / Float(min(columns, rows))
        var left = centre.x - Float(columns) * cellSize / 2
        var top = centre.y + Float(rows) * cellSize / 2
        var cursorCell: (row: Int, column: Int)?
        if let cursor, cursor.x.isFinite, cursor.y.isFinite, cellSize > 0 {
            // Cells from the grid's edge to the cursor, minus the half cell to a centre: shift the grid
            // by the fraction left over (at most half a cell) so that a centre falls on the cursor.
            // A cursor on a cell's edge (a centre of the previous grid, half a cell from this one's) is a
            // tie: break it the same way whatever the rounding error, so the grid does not jump a cell.
            let across = (cursor.x - left) / cellSize - 0.5, down = (top - cursor.y) / cellSize - 0.5
            let column = (across + 0.5 + Self.tieTolerance).rounded(.down), row = (down + 0.5 + Self.tieTolerance).rounded(.down)
            left += (across - column) * cellSize
            top -= (down - row) * cellSize
            if column >= 0, row >= 0, column < Float(columns), row < Float(rows) { cursorCell = (Int(row), Int(column)) }
        }
        self.left = left
        self.top = top
        self.cursorCell = cursorCell
        self.cursor = cursorCell == nil ? nil : cursor
    }

    public static func == (a: PlaneGeometry, b: PlaneGeometry) -> Bool {
        a.area == b.area && a.tile == b.tile && a.columns == b.columns && a.rows == b.rows && a.cellSize == b.cellSize
            && a.left == b.left && a.top == b.top && a.originX == b.originX && a.originY == b.originY
            && a.cursorCell?.row == b.cursorCell?.row && a.cursorCell?.column == b.cursorCell?.column
    }

    public var right: Float { left + Float(columns) * cellSize }
    public var bottom: Float { top - Float(rows) * cellSize }

    private var pitch: (x: Int, y: Int) { (tile.width + TileSize.gap, tile.height + TileSize.gap) }
    /// Where plane x = `left` and y = `top` fall, in cells relative to the area.
    private var start: (x: Float, y: Float) {
        (Float(originX) + Float(TileSize.gap) / 2, Float(originY) + Float(TileSize.gap) / 2)
    }

    /// The plane point at the centre of grid cell (row, column): the cursor itself for its cell, bit for
    /// bit, so the framed tile and the side pane's letter are one decode of one point.
    public func centre(row: Int, column: Int) -> (x: Float, y: Float) {
        if let cursor, let cell = cursorCell, cell.row == row, cell.column == column { return cursor }
        return (left + (Float(column) + 0.5) * cellSize, top - (Float(row) + 0.5) * cellSize)
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
