import Foundation
import LetterData
import Pictures

/// The latent plane: decoded small letters on a grid (or the test letters as a scatter with its
/// legend), the cursor, the browsed letter's marker and interpolation point A.
struct PlanePane {
    let state: ExplorerState
    let facts: any ModelFacts
    let tiles: FrameTiles
    let capabilities: TerminalCapabilities
    /// Comparing models: the pane's model and figures, put before the plane's own title.
    var heading: String? = nil

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        let plane = state.plane
        let geometry = PlaneGeometry(area: rect.interior, state: state)
        buffer.frame(rect, title: title(plane, geometry, width: rect.width - 6), style: frameStyle, titleStyle: titleStyle)
        buffer.fill(rect.interior)
        if state.showsScatter {
            let layer = ScatterLayer(state: state, labels: facts.test.labels, capabilities: capabilities)
            layer.drawCrosshair(geometry, into: &buffer)
            if let points = tiles.scatter { layer.draw(points, geometry, into: &buffer) }
        } else {
            drawGrid(geometry, into: &buffer)
            PlaneTicks.draw(geometry, pane: rect, capabilities: capabilities, into: &buffer)
        }
        if let a = state.pointA { mark(plane.project(a), "A", geometry, colour: Palette.pointA, into: &buffer) }
        // While browsing, the browsed letter's marker goes on top of the cursor's.
        mark(state.cursor.pair, "✛", geometry, colour: Palette.cursor, into: &buffer)
        // The drawing's code, over the cursor's mark when they meet (Enter puts the cursor there).
        if let drawing = tiles.drawing, drawing.code.count == plane.dimension {
            mark(plane.project(drawing.code), DrawingPanel.marker, geometry, colour: Palette.drawing, into: &buffer)
        }
        if state.mode == .browse, let index = state.selectedTestIndex {
            mark(plane.project(facts.testCode(index)), "◆", geometry, colour: Palette.cursor, into: &buffer)
        }
        if state.showsScatter {
            Legend.draw(catalog: state.catalog, highlighted: state.mode == .browse ? state.browseClass : nil, pane: rect,
                        capabilities: capabilities, into: &buffer)
        }
    }

    /// "Latent plane  x z1 -6.0…6.0  y z2 -3.0…3.0", with the share of the variance each principal
    /// component explains on the PCA plane, and what the hidden dimensions are held at. Where the
    /// pane is narrow, what the others are held at goes first (the side pane says it too).
    private func title(_ plane: LatentPlane, _ geometry: PlaneGeometry, width: Int) -> String {
        func span(_ low: Float, _ high: Float) -> String { String(format: "%.1f…%.1f", low, high) }
        func percent(_ share: Float) -> String { share.isFinite ? " (\(Int((share.unitClamped * 100).rounded()))%)" : " (?%)" }
        let xName = plane.xLabel + (plane.explainedVariance.map { percent($0.x) } ?? "")
        let yName = plane.yLabel + (plane.explainedVariance.map { percent($0.y) } ?? "")
        let style = facts.isConditional ? state.style : nil
        let name = style.map { "Style plane of '\($0.letterName)'" } ?? (state.showsPrincipalPlane ? "PCA plane" : "Latent plane")
        var fields = [state.showsPrincipalPlane && style != nil ? name + " (PCA)" : name,
                      "x \(xName) \(span(geometry.left, geometry.right))", "y \(yName) \(span(geometry.bottom, geometry.top))"]
        if state.showsPrincipalPlane {
            if state.isAnchored { fields.append("through \(state.anchorName)") }
        } else if state.latentDim > 2 {
            fields.append("others at \(state.anchorName)")
        }
        if state.showsScatter { fields.append("· test \(state.catalog.itemNoun)") }
        // Kept first: the name and the axes, then the scatter's note, then where the others are held.
        let importance = [0, 1, 2] + (fields.count == 5 ? [4, 3] : Array(3 ..< fields.count))
        // A compared model's heading (its name and figures) stands before the rest, whole fields
        // dropped where the pane is narrow: the name and a warning first, then the model, its
        // crowding, its figures; never a field cut in the middle ("β…").
        guard let heading else { return TextFit.join(fields, separator: "  ", width: width, importance: importance) }
        let parts = heading.components(separatedBy: " · ")
        let order = parts.indices.sorted { rank(parts[$0], $0) < rank(parts[$1], $1) }
        let fitted = TextFit.join(parts, separator: " · ", width: width, importance: order)
        let rest = TextFit.join(fields, separator: "  ", width: width - fitted.count - 3, importance: importance)
        return rest.isEmpty ? fitted : fitted + " · " + rest
    }

    /// How soon a heading's field gives way: the name first kept, then a warning, the architecture,
    /// the crowding, the rest.
    private func rank(_ part: String, _ index: Int) -> Int {
        if index == 0 { return 0 }
        if part.hasPrefix("⚠") { return 1 }
        if part.hasPrefix("crowding") { return 3 }
        return part.contains("z=") ? 2 : 4 + index
    }

    private var frameStyle: CellStyle { capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain }
    private var titleStyle: CellStyle { capabilities.colours ? CellStyle(foreground: Palette.accent, bold: true) : CellStyle(bold: true) }

    private func drawGrid(_ geometry: PlaneGeometry, into buffer: inout CellBuffer) {
        guard let decoded = tiles.grid else { return }   // still decoding: blank for a moment
        decoded.withUnsafeBufferPointer { letters in
            for row in 0 ..< geometry.rows {
                for column in 0 ..< geometry.columns {
                    let index = row * geometry.columns + column
                    let image = UnsafeBufferPointer(rebasing: letters[index * ImageSet.pixelCount ..< (index + 1) * ImageSet.pixelCount])
                    PixelArt.draw(image, side: ImageSet.side, into: &buffer, rect: geometry.tileRect(row: row, column: column),
                                  style: capabilities.pixels)
                }
            }
        }
        // The tile under the cursor gets a frame in the gap around it: visible without colour too.
        if let cell = geometry.cursorCell {
            let tile = geometry.tileRect(row: cell.row, column: cell.column)
            let style = capabilities.colours ? CellStyle(foreground: Palette.cursor, bold: true) : CellStyle(bold: true)
            buffer.frame(Rect(x: tile.x - TileSize.gap, y: tile.y - TileSize.gap, width: tile.width + 2 * TileSize.gap,
                              height: tile.height + 2 * TileSize.gap), style: style)
        }
    }

    private func mark(_ point: (x: Float, y: Float), _ symbol: Character, _ geometry: PlaneGeometry, colour: UInt8,
                      into buffer: inout CellBuffer) {
        guard let position = geometry.screenPosition(point) else { return }
        let style = capabilities.colours ? CellStyle(foreground: colour, background: 16, bold: true) : CellStyle(bold: true, reverse: true)
        buffer[geometry.area.x + Int(position.column), geometry.area.y + Int(position.row)] = Cell(symbol, style)
    }
}
