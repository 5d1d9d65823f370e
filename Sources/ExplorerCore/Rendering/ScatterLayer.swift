/// The test letters' codes, projected onto the plane shown: each cell holding codes shows the symbol
/// of its class (the letter itself, or a digit for multi-letter names) in the class's colour, so two
/// classes whose colours look alike still differ by glyph, and a terminal without colour shows the
/// same map. A cell with one code is dim, one with `denseCell` or more bold: the density stays visible.
///
/// A cell shows the class with the most weight among its codes, each weighing 1 / (letters of its
/// class): in a balanced sample that is the majority, and a class with few letters is not hidden under
/// a crowded one. While browsing, the browsed class's cells are drawn bright and bold, the rest dimmed.
///
/// Behind the codes, a crosshair through the cursor spans the pane (`drawCrosshair`).
struct ScatterLayer {
    let state: ExplorerState
    /// The test letters' labels, in the order of the projected points.
    let labels: [Int]
    let capabilities: TerminalCapabilities

    /// Codes in one cell from which it is drawn bold.
    static let denseCell = 4

    /// A horizontal and a vertical line through the cursor across the whole pane, in the cursor's
    /// colour and dim, so the cursor is found at a glance among the codes; drawn before them.
    func drawCrosshair(_ geometry: PlaneGeometry, into buffer: inout CellBuffer) {
        guard let position = geometry.screenPosition(state.cursor.pair) else { return }
        let area = geometry.area
        let (column, row) = (area.x + Int(position.column), area.y + Int(position.row))
        let style = capabilities.colours ? CellStyle(foreground: Palette.cursor, dim: true) : CellStyle(dim: true)
        let (across, down): (Character, Character) = capabilities.unicode ? ("─", "│") : ("-", "|")
        for x in area.x ..< area.x + area.width where x != column { buffer[x, row] = Cell(across, style) }
        for y in area.y ..< area.y + area.height where y != row { buffer[column, y] = Cell(down, style) }
    }

    /// `points`: every test code projected onto the plane shown, `[x0, y0, x1, y1, ...]`.
    func draw(_ points: [Float], _ geometry: PlaneGeometry, into buffer: inout CellBuffer) {
        let width = geometry.area.width
        let catalog = state.catalog
        var entryOfLabel: [Int: Int] = [:]
        var weightOfEntry: [Float] = []
        for (index, entry) in catalog.entries.enumerated() {
            entryOfLabel[entry.label] = index
            weightOfEntry.append(1 / Float(max(1, entry.testIndices.count)))
        }
        let highlighted = state.mode == .browse ? state.browseClass : nil

        // (cell, entry, dot bit) for every letter in view, grouped by cell.
        var dots: [(cell: Int, entry: Int, bit: UInt32)] = []
        dots.reserveCapacity(labels.count)
        for index in labels.indices {
            guard let entry = entryOfLabel[labels[index]],
                  let position = geometry.screenPosition((points[2 * index], points[2 * index + 1])) else { continue }
            let (column, row) = (Int(position.column), Int(position.row))
            let dotColumn = min(1, Int((position.column - Float(column)) * 2)), dotRow = min(3, Int((position.row - Float(row)) * 4))
            dots.append((row * width + column, entry, Braille.bit(column: dotColumn, row: dotRow)))
        }
        dots.sort { $0.cell < $1.cell }
        var start = 0
        while start < dots.count {
            var end = start
            while end < dots.count && dots[end].cell == dots[start].cell { end += 1 }
            drawCell(dots[start ..< end], width: width, geometry: geometry, weights: weightOfEntry, highlighted: highlighted, into: &buffer)
            start = end
        }
    }

    private func drawCell(_ dots: ArraySlice<(cell: Int, entry: Int, bit: UInt32)>, width: Int, geometry: PlaneGeometry,
                          weights: [Float], highlighted: Int?, into buffer: inout CellBuffer) {
        let cell = dots.first!.cell
        var bits: UInt32 = 0, highlightedBits: UInt32 = 0
        var weightByEntry: [Int: Float] = [:]
        for dot in dots {
            bits |= dot.bit
            weightByEntry[dot.entry, default: 0] += weights[dot.entry]
            if dot.entry == highlighted { highlightedBits |= dot.bit }
        }
        let winner = weightByEntry.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
        let (x, y) = (geometry.area.x + cell % width, geometry.area.y + cell / width)
        let colours = capabilities.colours
        let symbol = { (entry: Int) in self.state.catalog.entries[entry].symbol }
        if let highlighted {
            if highlightedBits != 0 {
                buffer[x, y] = colours
                    ? Cell(symbol(highlighted), CellStyle(foreground: Palette.classColour(highlighted), bold: true))
                    : Cell(symbol(highlighted), CellStyle(bold: true, reverse: true))
            } else {
                buffer[x, y] = Cell(symbol(winner), colours ? CellStyle(foreground: Palette.dimmed, dim: true) : CellStyle(dim: true))
            }
        } else {
            let count = dots.count
            var style = colours ? CellStyle(foreground: Palette.classColour(winner)) : .plain
            if count == 1 { style.dim = true } else if count >= Self.denseCell { style.bold = true }
            buffer[x, y] = Cell(symbol(winner), style)
        }
    }
}
