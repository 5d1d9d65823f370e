/// Where draw mode's 28x28 canvas goes in its pane, and which canvas point a screen cell is: each
/// canvas pixel is `scale` columns wide and `scale` half-cells high (a cell shows two pixels stacked,
/// `▀`), at the largest whole scale that fits.
public struct CanvasGeometry: Equatable, Sendable {
    /// The plane beside the canvas keeps at least this many columns (three of its smallest letters),
    /// where the terminal has them: the drawing's marker shows there as it is drawn.
    static let planeWidthBeside = 30

    /// The canvas pane's columns, left of the side pane: the largest scale whose canvas leaves the plane
    /// `planeWidthBeside` columns and fits `height` rows, and at least the smallest scale's.
    static func paneWidth(leftWidth: Int, height: Int) -> Int {
        scale(width: leftWidth - planeWidthBeside - 2, height: height - 2) * DrawingCanvas.side + 2
    }

    static func scale(width: Int, height: Int) -> Int {
        max(1, min(width / DrawingCanvas.side, 2 * height / DrawingCanvas.side))
    }

    public let scale: Int
    /// The cells the pixels take.
    public let area: Rect

    public init(pane: Rect) {
        let inside = pane.interior
        scale = Self.scale(width: inside.width, height: inside.height)
        let side = DrawingCanvas.side
        area = Rect(x: inside.x + max(0, inside.width - side * scale) / 2, y: inside.y, width: side * scale, height: side * scale / 2)
    }

    /// The canvas point at the middle of a cell (nil outside the canvas).
    public func point(column: Int, row: Int) -> CanvasPoint? {
        guard column >= area.x, column < area.x + area.width, row >= area.y, row < area.y + area.height else { return nil }
        return point(column: column, row: row, clamped: true)
    }

    /// The canvas point at the middle of a cell, clamped to the canvas (a drag that leaves it).
    public func point(column: Int, row: Int, clamped: Bool) -> CanvasPoint {
        let x = (Float(column - area.x) + 0.5) / Float(scale), y = (Float(row - area.y) + 0.5) * 2 / Float(scale)
        return DrawingCanvas.clamped(CanvasPoint(x: x, y: y))
    }

    /// The cell the pen's pixel is drawn in.
    func cell(ofPixel x: Int, _ y: Int) -> (column: Int, row: Int) {
        (area.x + x * scale + (scale - 1) / 2, area.y + (y * scale) / 2)
    }
}

/// Draw mode's canvas pane: the drawing at full resolution, the keyboard's pen, and how to draw.
struct CanvasPane {
    let state: ExplorerState
    let capabilities: TerminalCapabilities

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        let style = PanelStyle(capabilities: capabilities)
        buffer.frame(rect, title: "Draw", style: capabilities.colours ? CellStyle(foreground: Palette.cursor) : .plain, titleStyle: style.title)
        buffer.fill(rect.interior)
        let geometry = CanvasGeometry(pane: rect)
        let drawing = state.drawing
        PixelArt.draw(drawing.ink, side: DrawingCanvas.side, into: &buffer, rect: geometry.area, style: capabilities.pixels)
        let pen = geometry.cell(ofPixel: drawing.pen.x, drawing.pen.y)
        let penStyle = capabilities.colours ? CellStyle(foreground: Palette.cursor, background: 16, bold: true) : CellStyle(bold: true, reverse: true)
        buffer[pen.column, pen.row] = Cell(drawing.penIsDown ? "●" : "○", penStyle)
        let items = drawing.isEmpty ? ["drag the mouse here to draw,", "or arrows + space (pen)"]
            : ["u undo", "c clear", "Enter: go there", "S save PNG", "Esc: plane"]
        var y = geometry.area.y + geometry.area.height
        for hint in Self.pack(items, width: rect.interior.width) where y < rect.y + rect.height - 1 {
            buffer.put(hint, x: rect.interior.x, y: y, style: style.muted, limit: rect.interior.width)
            y += 1
        }
    }

    /// `items` on as few lines of `width` as they fit, two spaces apart, none cut in two.
    static func pack(_ items: [String], width: Int) -> [String] {
        var lines: [String] = []
        for item in items {
            if let last = lines.last, last.count + 2 + item.count <= width {
                lines[lines.count - 1] = last + "  " + item
            } else {
                lines.append(item)
            }
        }
        return lines
    }
}
