import VAE

/// The latent plane: decoded small letters on a grid (or the test letters as a scatter), the cursor,
/// and the browsed letter's marker.
struct PlanePane {
    let state: ExplorerState
    let view: ModelView
    let capabilities: TerminalCapabilities

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        let geometry = PlaneGeometry(area: rect.interior, state: state)
        let bottom = geometry.top - Float(geometry.rows) * geometry.cellSize
        let right = geometry.left + Float(geometry.columns) * geometry.cellSize
        let title = String(format: "Latent plane  x %.1f…%.1f  y %.1f…%.1f", geometry.left, right, bottom, geometry.top)
            + (state.showsScatter ? "  · test letters" : "")
        buffer.frame(rect, title: title, style: frameStyle, titleStyle: titleStyle)
        buffer.fill(rect.interior)
        if state.showsScatter { drawScatter(geometry, into: &buffer) } else { drawGrid(geometry, into: &buffer) }
        if state.mode == .browse, let index = state.selectedTestIndex {
            mark(view.testCode(index), "◆", geometry, into: &buffer)
        }
        mark(state.cursor, "✛", geometry, into: &buffer)
    }

    private var frameStyle: CellStyle { capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain }
    private var titleStyle: CellStyle { capabilities.colours ? CellStyle(foreground: Palette.accent, bold: true) : CellStyle(bold: true) }

    private func drawGrid(_ geometry: PlaneGeometry, into buffer: inout CellBuffer) {
        let decoded = view.decodeGrid(geometry)
        let (w, h) = Layout.gridCell
        for row in 0 ..< geometry.rows {
            for column in 0 ..< geometry.columns {
                let index = row * geometry.columns + column
                let image = Array(decoded[index * ImageSet.pixelCount ..< (index + 1) * ImageSet.pixelCount])
                let cellRect = Rect(x: geometry.area.x + column * w, y: geometry.area.y + row * h, width: w, height: h)
                PixelArt.draw(image, side: ImageSet.side, into: &buffer, rect: cellRect, style: capabilities.pixels)
            }
        }
    }

    /// Test letters' latent means as Braille dots (2x4 per character), each character coloured by the
    /// class most of its dots belong to; without colour, that class's name is written instead.
    private func drawScatter(_ geometry: PlaneGeometry, into buffer: inout CellBuffer) {
        let width = geometry.columns * Layout.gridCell.width, height = geometry.rows * Layout.gridCell.height
        var bits = [UInt32](repeating: 0, count: width * height)
        var votes = [[Int: Int]](repeating: [:], count: width * height)
        let catalogIndex = Dictionary(uniqueKeysWithValues: state.catalog.entries.enumerated().map { ($0.element.label, $0.offset) })
        for index in 0 ..< view.test.count {
            guard let position = geometry.screenPosition(view.testCode(index)) else { continue }
            let (column, row) = (Int(position.column), Int(position.row))
            let dotColumn = min(1, Int((position.column - Float(column)) * 2)), dotRow = min(3, Int((position.row - Float(row)) * 4))
            let cell = row * width + column
            bits[cell] |= Braille.bit(column: dotColumn, row: dotRow)
            votes[cell][view.test.labels[index], default: 0] += 1
        }
        for cell in 0 ..< width * height where bits[cell] != 0 {
            guard let label = votes[cell].max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key,
                  let entry = catalogIndex[label] else { continue }
            let (x, y) = (geometry.area.x + cell % width, geometry.area.y + cell / width)
            if capabilities.colours {
                buffer[x, y] = Cell(Braille.character(bits[cell]), CellStyle(foreground: Palette.classColour(entry)))
            } else {
                buffer[x, y] = Cell(state.catalog.entries[entry].name.first ?? "•")
            }
        }
    }

    private func mark(_ point: (x: Float, y: Float), _ symbol: Character, _ geometry: PlaneGeometry, into buffer: inout CellBuffer) {
        guard let position = geometry.screenPosition(point) else { return }
        let style = capabilities.colours ? CellStyle(foreground: Palette.cursor, background: 16, bold: true) : CellStyle(bold: true, reverse: true)
        buffer[geometry.area.x + Int(position.column), geometry.area.y + Int(position.row)] = Cell(symbol, style)
    }
}
