/// The scatter's legend: each class's name in its colour (without colour, its symbol and name), packed
/// into lines along the bottom of the plane pane, the first on the frame's bottom edge.
enum Legend {
    struct Item: Equatable {
        var entry: Int
        var text: String
        var x: Int
        var y: Int
    }

    /// A class's legend text: its name, or "symbol name" when the scatter marks it with another symbol.
    static func text(_ entry: ClassCatalog.Entry) -> String {
        entry.name == String(entry.symbol) ? entry.name : "\(entry.symbol) \(entry.name)"
    }

    /// Where each item goes for the plane pane `pane`: lines from the bottom edge upwards.
    static func items(catalog: ClassCatalog, pane: Rect) -> [Item] {
        let (left, available) = (pane.x + 2, pane.width - 4)
        guard available > 0, pane.height >= 3 else { return [] }
        var lines: [[(Int, String)]] = [[]]
        var used = 0
        for (index, entry) in catalog.entries.enumerated() {
            let text = String(text(entry).prefix(available))
            let needed = (lines[lines.count - 1].isEmpty ? 0 : 1) + text.count
            if used + needed > available && !lines[lines.count - 1].isEmpty {
                lines.append([])
                used = 0
            }
            used += (lines[lines.count - 1].isEmpty ? 0 : 1) + text.count
            lines[lines.count - 1].append((index, text))
        }
        var items: [Item] = []
        let bottom = pane.y + pane.height - 1
        for (lineIndex, line) in lines.prefix(pane.height - 1).enumerated() {
            // The first line sits on the frame's bottom edge; later lines rise into the pane.
            let y = bottom - (lines.count - 1 - lineIndex)
            guard y > pane.y else { continue }
            var x = left
            for (entry, text) in line {
                items.append(Item(entry: entry, text: text, x: x, y: y))
                x += text.count + 1
            }
        }
        return items
    }

    /// The class whose legend item covers a screen cell.
    static func entry(at cell: (column: Int, row: Int), catalog: ClassCatalog, pane: Rect) -> Int? {
        items(catalog: catalog, pane: pane).first { cell.row == $0.y && cell.column >= $0.x && cell.column < $0.x + $0.text.count }?.entry
    }

    /// Draws the legend; while browsing, the browsed class stands out and the others are dimmed.
    static func draw(catalog: ClassCatalog, highlighted: Int?, pane: Rect, capabilities: TerminalCapabilities, into buffer: inout CellBuffer) {
        let items = items(catalog: catalog, pane: pane)
        let bottom = pane.y + pane.height - 1
        for row in Set(items.map(\.y)) {
            if row == bottom {
                // On the frame's edge: a space either side of the items, the edge beyond them.
                let onRow = items.filter { $0.y == row }
                let end = onRow.map { $0.x + $0.text.count }.max()!
                buffer.fill(Rect(x: pane.x + 1, y: row, width: end - pane.x, height: 1))
            } else {
                buffer.fill(Rect(x: pane.x + 1, y: row, width: pane.width - 2, height: 1))   // a clean line over the dots
            }
        }
        for item in items {
            var style = capabilities.colours ? CellStyle(foreground: Palette.classColour(item.entry), bold: true) : CellStyle(bold: true)
            if let highlighted {
                if item.entry == highlighted {
                    style.reverse = true
                } else {
                    style = capabilities.colours ? CellStyle(foreground: Palette.dimmed, dim: true) : CellStyle(dim: true)
                }
            }
            buffer.put(item.text, x: item.x, y: item.y, style: style)
        }
    }
}
