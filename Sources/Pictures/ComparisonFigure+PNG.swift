import FileFormats
import LetterData

extension ComparisonFigure {
    /// The figure as a colour PNG: the same layout as `svg()`, text in `PixelFont`.
    public func png() -> [UInt8] {
        let (w, h) = (width, height)
        var rgb = [UInt8](repeating: 255, count: w * h * 3)
        func plot(_ x: Int, _ y: Int, _ colour: (UInt8, UInt8, UInt8)) {
            guard x >= 0, y >= 0, x < w, y < h else { return }
            let i = (y * w + x) * 3
            (rgb[i], rgb[i + 1], rgb[i + 2]) = colour
        }
        func text(_ string: String, _ x: Int, _ y: Int, _ colour: (UInt8, UInt8, UInt8) = (0, 0, 0)) {
            PixelFont.draw(string, left: x, top: y) { plot($0, $1, colour) }
        }
        let classes = self.classes
        let slot = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let square = Self.square
        for (index, panel) in panels.enumerated() {
            let top = Self.margin + index * panelHeight
            PixelFont.draw(panel.title, left: Self.margin, top: top, scale: 2) { plot($0, $1, (0, 0, 0)) }
            for (n, line) in panel.lines.enumerated() { text(line, Self.margin, top + (n + 1) * Self.textLine + 2) }
            let squareTop = top + headerHeight
            // The grid, scaled to the square by nearest neighbour.
            let side = panel.gridCells * ImageSet.side
            for y in 0 ..< square {
                for x in 0 ..< square {
                    let v = panel.gridPixels[(y * side / square) * side + x * side / square]
                    plot(Self.margin + x, squareTop + y, (v, v, v))
                }
            }
            let left = 2 * Self.margin + square
            for y in 0 ..< square { for x in 0 ..< square { plot(left + x, squareTop + y, (250, 250, 250)) } }
            let (cx, cy) = position(0, 0, left: left, top: squareTop)
            for t in 0 ..< square {
                plot(left + t, Int(cy), (221, 221, 221)); plot(Int(cx), squareTop + t, (221, 221, 221))
                for edge in [(left + t, squareTop), (left + t, squareTop + square - 1), (left, squareTop + t), (left + square - 1, squareTop + t)] {
                    plot(edge.0, edge.1, (136, 136, 136))
                }
            }
            for (i, label) in panel.labels.enumerated() {
                let (x, y) = (panel.points[2 * i], panel.points[2 * i + 1])
                guard abs(x) <= range, abs(y) <= range else { continue }
                let (px, py) = position(x, y, left: left, top: squareTop)
                let colour = Self.colour(slot[label]!)
                for dy in -1 ... 1 { for dx in -1 ... 1 { plot(Int(px) + dx, Int(py) + dy, colour) } }
            }
        }
        let legendTop = Self.margin + panels.count * panelHeight
        for (index, label) in classes.enumerated() {
            let (row, column) = (index / legendColumns, index % legendColumns)
            let (x, y) = (Self.margin + column * 70, legendTop + row * Self.textLine)
            for dy in 3 ... 12 { for dx in 0 ... 9 { plot(x + dx, y + dy, Self.colour(index)) } }
            text(classNames[label] ?? String(label), x + 14, y + 5)
        }
        text(caption, Self.margin, legendTop + legendRows * Self.textLine + 8, (68, 68, 68))
        return PNGEncoder.encodeRGB(width: w, height: h, pixels: rgb)
    }
}
