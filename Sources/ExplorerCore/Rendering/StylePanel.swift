import LetterData

/// The side pane on a conditional model's style plane: the whole alphabet written in the style at the
/// cursor (each class decoded at the cursor's code), which letter the plane draws, and, with the
/// scatter, why the classes' codes overlap.
struct StylePanel {
    let state: ExplorerState
    let tiles: FrameTiles
    let capabilities: TerminalCapabilities

    /// Why the scatter's classes overlap on a style plane, for the side pane.
    static let overlapNote = "Codes hold the style, not the letter: the decoder is told the class, so the classes' codes overlap on purpose."

    /// The points and classes decoded for the alphabet: the cursor's code once per class.
    static func points(state: ExplorerState) -> (points: [Float], classes: [Int32])? {
        guard let style = state.style else { return nil }
        let code = state.cursorPoint
        return (Array(Array(repeating: code, count: style.classNames.count).joined()), style.classNames.indices.map { Int32($0) })
    }

    /// The largest letter tile (in cells, two pixels a cell vertically) at which `count` letters fit
    /// `width` x `height`: columns per row and the tile's size. Tiles abut: a decoded letter's own
    /// margin (a sixth of its side) keeps neighbours apart.
    static func alphabetTiles(count: Int, width: Int, height: Int) -> (perRow: Int, width: Int, height: Int)? {
        for tileHeight in stride(from: ImageSet.side / 2, through: 2, by: -1) {
            let tileWidth = 2 * tileHeight - 1
            let perRow = width / tileWidth
            guard perRow > 0 else { continue }
            let rows = (count + perRow - 1) / perRow
            if rows * tileHeight <= height { return (perRow, tileWidth, tileHeight) }
        }
        return nil
    }

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        guard let style = state.style else { return }
        let panel = PanelStyle(capabilities: capabilities)
        buffer.frame(rect, title: "Alphabet in this style", style: panel.frame, titleStyle: panel.title)
        let inside = rect.interior
        let plane = state.plane
        let coordinates = state.latentDim == 1 ? "z1 \(Format.signed(state.cursor.x))"
            : "\(plane.xLabel) \(Format.signed(state.cursor.x))  \(plane.yLabel) \(Format.signed(state.cursor.y))"
        // One line: which letter the plane draws and where the cursor is (the keys are on the key line).
        buffer.put("'\(style.letterName)' at \(coordinates)", x: inside.x + 1, y: inside.y, style: CellStyle(bold: true), limit: inside.width - 1)
        // The scatter's note must show; the hint only where the alphabet leaves room.
        let notes = state.showsScatter ? TextFit.wrap(Self.overlapNote, to: inside.width - 1) : []
        let top = inside.y + 1
        var y = top
        if let grid = Self.alphabetTiles(count: style.classNames.count, width: inside.width, height: inside.y + inside.height - top - notes.count),
           let decoded = tiles.alphabet, decoded.count == style.classNames.count * ImageSet.pixelCount {
            let used = grid.perRow * grid.width
            let x0 = inside.x + max(0, (inside.width - used) / 2)
            for index in style.classNames.indices {
                let image = Array(decoded[index * ImageSet.pixelCount ..< (index + 1) * ImageSet.pixelCount])
                let tile = Rect(x: x0 + index % grid.perRow * grid.width, y: top + index / grid.perRow * grid.height,
                                width: grid.width, height: grid.height)
                PixelArt.draw(image, side: ImageSet.side, into: &buffer, rect: tile, style: capabilities.pixels)
            }
            y = top + (style.classNames.count + grid.perRow - 1) / grid.perRow * grid.height
        }
        let hint = state.wordLine.isShown ? [] : ["w writes a word in this style"]
        for note in notes + hint where y < inside.y + inside.height {
            buffer.put(note, x: inside.x + 1, y: y, style: panel.muted, limit: inside.width - 1)
            y += 1
        }
    }
}
