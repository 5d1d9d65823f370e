import FileFormats
import Foundation
import LetterData

extension ComparisonFigure {
    /// The figure as an SVG document: text as text, grids as embedded PNG images, one circle per code.
    public func svg() -> String {
        let classes = self.classes
        let slot = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        func hex(_ index: Int) -> String {
            let (r, g, b) = Self.colour(index)
            return String(format: "#%02x%02x%02x", r, g, b)
        }
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" \
            font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>

            """
        for (index, panel) in panels.enumerated() {
            let top = Self.margin + index * panelHeight
            out += "<text x=\"\(Self.margin)\" y=\"\(top + 12)\" font-weight=\"bold\" font-size=\"14\">\(escaped(panel.title))</text>\n"
            for (n, line) in panel.lines.enumerated() {
                out += "<text x=\"\(Self.margin)\" y=\"\(top + 12 + (n + 1) * Self.textLine)\">\(escaped(line))</text>\n"
            }
            let squareTop = top + headerHeight
            let side = panel.gridCells * ImageSet.side
            let png = PNGEncoder.encodeGray(width: side, height: side, pixels: panel.gridPixels)
            out += "<image x=\"\(Self.margin)\" y=\"\(squareTop)\" width=\"\(Self.square)\" height=\"\(Self.square)\" "
                + "href=\"data:image/png;base64,\(Data(png).base64EncodedString())\"/>\n"
            let left = 2 * Self.margin + Self.square
            out += "<rect x=\"\(left)\" y=\"\(squareTop)\" width=\"\(Self.square)\" height=\"\(Self.square)\" fill=\"#fafafa\" stroke=\"#888\"/>\n"
            let (cx, cy) = position(0, 0, left: left, top: squareTop)
            out += "<path d=\"M\(left) \(Int(cy))h\(Self.square)M\(Int(cx)) \(squareTop)v\(Self.square)\" stroke=\"#ddd\"/>\n"
            out += "<g fill-opacity=\"0.7\">\n"
            for (i, label) in panel.labels.enumerated() {
                let (x, y) = (panel.points[2 * i], panel.points[2 * i + 1])
                guard abs(x) <= range, abs(y) <= range else { continue }
                let (px, py) = position(x, y, left: left, top: squareTop)
                out += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%@\"/>\n", px, py, hex(slot[label]!))
            }
            out += "</g>\n"
        }
        let legendTop = Self.margin + panels.count * panelHeight
        for (index, label) in classes.enumerated() {
            let (row, column) = (index / legendColumns, index % legendColumns)
            let (x, y) = (Self.margin + column * 70, legendTop + row * Self.textLine)
            out += "<circle cx=\"\(x + 5)\" cy=\"\(y + 8)\" r=\"5\" fill=\"\(hex(index))\"/>"
            out += "<text x=\"\(x + 14)\" y=\"\(y + 12)\">\(escaped(classNames[label] ?? String(label)))</text>\n"
        }
        out += "<text x=\"\(Self.margin)\" y=\"\(legendTop + (legendRows + 1) * Self.textLine)\" fill=\"#444\">\(escaped(caption))</text>\n"
        out += "</svg>\n"
        return out
    }
}
