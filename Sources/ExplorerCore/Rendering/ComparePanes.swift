/// The plane split into 2-4 panes, one per compared model, each with its own grid or scatter and a
/// heading with the model's figures; the focused pane's heading is marked.
struct ComparePanes {
    let panes: [ComparedPane]
    let capabilities: TerminalCapabilities

    /// Panes narrower than this go two rows high.
    static let minimumPaneWidth = 40

    /// The panes' rectangles inside `rect`: side by side, or 2x2 when three or four do not fit in a row.
    static func rects(count: Int, in rect: Rect) -> [Rect] {
        let columns = count <= 2 || rect.width / count >= minimumPaneWidth ? count : 2
        let rows = (count + columns - 1) / columns
        return (0 ..< count).map { index in
            let (row, column) = (index / columns, index % columns)
            let x = rect.x + rect.width * column / columns, nextX = rect.x + rect.width * (column + 1) / columns
            let y = rect.y + rect.height * row / rows, nextY = rect.y + rect.height * (row + 1) / rows
            return Rect(x: x, y: y, width: nextX - x, height: nextY - y)
        }
    }

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        for (pane, paneRect) in zip(panes, Self.rects(count: panes.count, in: rect)) {
            PlanePane(state: pane.state, facts: pane.facts, tiles: pane.tiles, capabilities: capabilities, heading: pane.heading)
                .draw(into: &buffer, rect: paneRect)
        }
    }
}
