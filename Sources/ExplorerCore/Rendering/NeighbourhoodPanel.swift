import LetterData

/// The lower part of the side pane where it has room (tall or wide terminals): the 5 nearest test
/// letters in a row, each with its class and distance, then the classes by the distance of their
/// centres from the cursor, as bars, in as many columns and rows as fit.
struct NeighbourhoodPanel {
    let state: ExplorerState
    let facts: any ModelFacts
    let neighbourhood: Neighbourhood
    let capabilities: TerminalCapabilities

    /// Rows it needs before it draws anything: a heading, the letters and their captions, a heading
    /// and three classes.
    static let minimumRows = 1 + TileSize.smallest.height + 1 + 1 + 1 + 3

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        guard rect.height >= Self.minimumRows, rect.width >= 20 else { return }
        let style = PanelStyle(capabilities: capabilities)
        var y = rect.y
        // The nearest letters: the largest tile of the ladder that fits 5 across with gaps.
        let count = neighbourhood.nearest.count
        let tile = TileSize.ladder.last { $0.width * count + (count - 1) <= rect.width && $0.height <= max(4, rect.height / 4) }
            ?? TileSize.smallest
        buffer.put("nearest \(count) test \(state.catalog.itemNoun)", x: rect.x, y: y, style: CellStyle(bold: true), limit: rect.width)
        y += 1
        for (position, hit) in neighbourhood.nearest.enumerated() {
            let x = rect.x + position * (tile.width + 1)
            guard x + tile.width <= rect.x + rect.width else { break }
            PixelArt.draw(facts.testImage(hit.index), side: ImageSet.side, into: &buffer,
                          rect: Rect(x: x, y: y, width: tile.width, height: tile.height), style: capabilities.pixels)
            let caption = "\(state.catalog.name(ofLabel: facts.test.labels[hit.index])) \(Format.fixed(hit.distance))"
            buffer.put(caption, x: x, y: y + tile.height, style: style.muted, limit: tile.width)
        }
        y += tile.height + 2
        guard y + 2 <= rect.y + rect.height else { return }
        buffer.put("class centres by distance", x: rect.x, y: y, style: CellStyle(bold: true), limit: rect.width)
        y += 1
        // "e 0.42 ████" in columns of 16 cells; the bar's length is the distance relative to the farthest.
        let columnWidth = 16, barWidth = 6
        let columns = max(1, (rect.width + 1) / columnWidth)
        let rows = rect.y + rect.height - y
        // NaN weights give NaN distances: their bars are one cell, never a trap.
        let farthest = neighbourhood.classes.map(\.distance).filter(\.isFinite).max().map { max($0, 1e-6) } ?? 1
        for (position, entry) in neighbourhood.classes.prefix(columns * rows).enumerated() {
            let x = rect.x + (position / rows) * columnWidth, row = y + position % rows
            let share = entry.distance / farthest
            let filled = share.isFinite ? min(barWidth, max(1, Int((share * Float(barWidth)).rounded()))) : 1
            let bar = String(repeating: capabilities.unicode ? "█" : "#", count: filled)
            let label = TextFit.shorten(state.catalog.name(ofLabel: entry.label), to: 3).padding(toLength: 3, withPad: " ", startingAt: 0)
            buffer.put("\(label) \(Format.fixed(entry.distance, digits: 1))", x: x, y: row, limit: 8)
            buffer.put(bar, x: x + 8, y: row, style: style.muted, limit: barWidth)
        }
    }
}
