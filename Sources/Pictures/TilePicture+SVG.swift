import Support

extension TilePicture {
    /// Grey levels the SVG draws: each tile pixel's grey is rounded to one of these, so neighbouring
    /// pixels of nearly the same grey merge into one rectangle and the file stays small.
    public static let svgGreyLevels = 32

    /// The picture as SVG: every tile pixel a square (runs of equal grey along a row merged into one
    /// rectangle, the rectangles of one grey in one path), so the tiles stay crisp at any size, and the
    /// labels as text. `scale` sets the
    /// document's width and height; the view box is in picture units.
    public func svg(scale: Int) -> String {
        let layout = self.layout
        let step = 255.0 / Double(Self.svgGreyLevels - 1)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(layout.width * scale)" height="\(layout.height * scale)" \
            viewBox="0 0 \(layout.width) \(layout.height)" shape-rendering="crispEdges">
            <rect width="\(layout.width)" height="\(layout.height)" fill="\(Self.hex(Self.paper))"/>

            """
        let tileSize = tileWidth * tileHeight
        for tile in 0 ..< rows * columns {
            let origin = layout.tileOrigin(row: tile / columns, column: tile % columns)
            // Runs of one grey level along a row, gathered per level: one path per grey in the tile,
            // each run a 1-unit-tall rectangle "M x y h width v 1 h -width z".
            var runs: [Int: String] = [:]
            for y in 0 ..< tileHeight {
                var x = 0
                while x < tileWidth {
                    let level = Int((Double(tiles[tile * tileSize + y * tileWidth + x]) / step).rounded())
                    var end = x + 1
                    while end < tileWidth, Int((Double(tiles[tile * tileSize + y * tileWidth + end]) / step).rounded()) == level { end += 1 }
                    if level > 0 { runs[level, default: ""] += "M\(x) \(y)h\(end - x)v1h-\(end - x)z" }
                    x = end
                }
            }
            out += "<g transform=\"translate(\(origin.x),\(origin.y))\">"
            out += "<rect width=\"\(tileWidth)\" height=\"\(tileHeight)\" fill=\"#000000\"/>"
            for (level, path) in runs.sorted(by: { $0.key < $1.key }) {
                let grey = UInt8(min(255, (Double(level) * step).rounded()))
                out += "<path fill=\"\(Self.hex(grey))\" d=\"\(path)\"/>"
            }
            out += "</g>\n"
        }
        // Text: the font's 7-pixel glyphs sit on a baseline at their bottom row.
        let fontSize = BitmapFont.glyphHeight + 2
        for line in layout.texts {
            out += "<text x=\"\(line.x)\" y=\"\(line.y + BitmapFont.glyphHeight)\" font-family=\"monospace\" "
                + "font-size=\"\(fontSize)\" fill=\"\(Self.hex(Self.ink))\">\(Self.escaped(line.text))</text>\n"
        }
        return out + "</svg>\n"
    }

    private static func hex(_ grey: UInt8) -> String {
        let digits = String(grey, radix: 16)
        let pair = digits.count == 1 ? "0" + digits : digits
        return "#" + pair + pair + pair
    }

    /// Text content with XML's special characters escaped.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in TextSanitizer.clean(text) {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
