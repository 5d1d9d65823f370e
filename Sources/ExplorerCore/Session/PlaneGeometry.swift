/// Maps between plane coordinates and the plane pane: a grid of square cells of the plane, each drawn
/// as a small letter of `Layout.gridCell` characters. The shorter side of the grid spans `2 * halfWidth`.
public struct PlaneGeometry: Equatable, Sendable {
    public let area: Rect
    public let columns: Int
    public let rows: Int
    /// Width (and height) of one grid cell in plane units.
    public let cellSize: Float
    public let left: Float
    public let top: Float

    public init(area: Rect, state: ExplorerState) {
        self.area = area
        columns = max(1, area.width / Layout.gridCell.width)
        rows = max(1, area.height / Layout.gridCell.height)
        cellSize = 2 * state.halfWidth / Float(min(columns, rows))
        left = state.centre.x - Float(columns) * cellSize / 2
        top = state.centre.y + Float(rows) * cellSize / 2
    }

    public var right: Float { left + Float(columns) * cellSize }
    public var bottom: Float { top - Float(rows) * cellSize }

    /// The plane point at the centre of grid cell (row, column).
    public func centre(row: Int, column: Int) -> (x: Float, y: Float) {
        (left + (Float(column) + 0.5) * cellSize, top - (Float(row) + 0.5) * cellSize)
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
        let column = (point.x - left) / cellSize * Float(Layout.gridCell.width)
        let row = (top - point.y) / cellSize * Float(Layout.gridCell.height)
        guard column >= 0, row >= 0, column < Float(columns * Layout.gridCell.width),
              row < Float(rows * Layout.gridCell.height) else { return nil }
        return (column, row)
    }

    /// The plane point at the centre of the screen cell (`column`, `row`), nil outside the grid.
    public func point(column: Int, row: Int) -> (x: Float, y: Float)? {
        let (c, r) = (column - area.x, row - area.y)
        guard c >= 0, r >= 0, c < columns * Layout.gridCell.width, r < rows * Layout.gridCell.height else { return nil }
        return (left + (Float(c) + 0.5) / Float(Layout.gridCell.width) * cellSize,
                top - (Float(r) + 0.5) / Float(Layout.gridCell.height) * cellSize)
    }
}
