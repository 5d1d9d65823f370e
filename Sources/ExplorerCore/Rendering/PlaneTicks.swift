import Foundation

/// Axis ticks on the plane, as on a plot: under each column of letters, on the frame's bottom edge,
/// the x value of the column's centre; and left of each row, where the grid leaves room, the row's y
/// value with a tick on the frame. Values are every other column or row when they would touch.
enum PlaneTicks {
    static func draw(_ geometry: PlaneGeometry, pane: Rect, capabilities: TerminalCapabilities, into buffer: inout CellBuffer) {
        let style = capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain
        let bottom = pane.y + pane.height - 1
        // Across: centred under the tiles, skipping columns whose label would run into the last one.
        var nextFree = pane.x + 1
        for column in 0 ..< geometry.columns {
            let tile = geometry.tileRect(row: 0, column: column)
            let label = label(geometry.centre(row: 0, column: column).x)
            let x = tile.x + (tile.width - label.count) / 2
            guard x >= nextFree, x + label.count < pane.x + pane.width - 1 else { continue }
            buffer.put(label, x: x, y: bottom, style: style)
            nextFree = x + label.count + 1
        }
        // Down: in the margin left of the grid when it is wide enough for "-1.5" and a space.
        let margin = geometry.tileRect(row: 0, column: 0).x - geometry.area.x
        let (edge, tick): (Character, Character) = capabilities.unicode ? ("│", "┤") : ("|", "+")
        var nextRow = pane.y + 1
        for row in 0 ..< geometry.rows {
            let tile = geometry.tileRect(row: row, column: 0)
            let y = tile.y + tile.height / 2
            guard y >= nextRow, y < bottom else { continue }
            if buffer[pane.x, y].character == edge { buffer[pane.x, y] = Cell(tick, style) }
            let label = label(geometry.centre(row: row, column: 0).y)
            if margin >= label.count + 1 { buffer.put(label, x: geometry.area.x + margin - label.count - 1, y: y, style: style) }
            nextRow = y + 2
        }
    }

    /// "-1.5", "+0.75": two significant decimals at most, short.
    static func label(_ value: Float) -> String {
        let rounded = (value * 100).rounded() / 100
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") && text.contains(".") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
