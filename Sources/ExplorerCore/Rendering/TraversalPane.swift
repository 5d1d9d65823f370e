import Foundation
import LetterData
import VAE

/// The traversal view, in the plane's place: one row per latent dimension, each sweeping that
/// dimension from -range to +range with the others held at the subject's code. Rows go from the
/// dimension the encoder uses most (largest spread of the test codes) to the least; `[` `]` scroll.
struct TraversalPane {
    let state: ExplorerState
    let view: ModelView
    let capabilities: TerminalCapabilities

    static let range: Float = 3
    /// Columns for each row's label: "z12" over "σ0.98".
    static let labelWidth = 7
    static let maximumSteps = 15

    /// Letters per row for an interior this wide: as many as fit, odd so the middle one is 0.
    static func steps(interiorWidth: Int) -> Int {
        let fit = min(maximumSteps, max(3, (interiorWidth - labelWidth) / TileSize.smallest.width))
        return fit % 2 == 1 ? fit : fit - 1
    }

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        let style = PanelStyle(capabilities: capabilities)
        let inside = rect.interior
        let subject = Subject(state: state, view: view)
        let steps = Self.steps(interiorWidth: inside.width)
        let rowsShown = max(1, inside.height / TileSize.smallest.height)
        let order = view.dimensionsBySpread
        let first = min(state.traversalScroll, max(0, order.count - rowsShown))
        let dimensions = Array(order[first ..< min(order.count, first + rowsShown)])
        let scroll = order.count > rowsShown ? "  rows \(first + 1)-\(first + dimensions.count) of \(order.count), [ ] scroll" : ""
        let title = "Traversal of \(subject.name): each dimension \(Format.signed(-Self.range, digits: 0))…\(Format.signed(Self.range, digits: 0))\(scroll)"
        buffer.frame(rect, title: title, style: style.frame, titleStyle: style.title)
        buffer.fill(inside)

        var points: [Float] = []
        for dimension in dimensions {
            points += LatentPaths.traversal(of: subject.code, dimension: dimension, range: Self.range, steps: steps)
        }
        let decoded = view.decodeBatch(points, slot: .traversal)
        let (w, h) = (TileSize.smallest.width, TileSize.smallest.height)
        let x0 = inside.x + Self.labelWidth
        for (row, dimension) in dimensions.enumerated() {
            let y = inside.y + row * h
            buffer.put("z\(dimension + 1)", x: inside.x + 1, y: y, style: CellStyle(bold: true))
            buffer.put("σ" + Format.fixed(view.spread(dimension)), x: inside.x, y: y + 1, style: style.muted, limit: Self.labelWidth - 1)
            buffer.put(Format.signed(subject.code[dimension], digits: 1), x: inside.x, y: y + 2, style: style.muted, limit: Self.labelWidth - 1)
            for step in 0 ..< steps {
                guard let decoded else { break }
                let index = row * steps + step
                let image = Array(decoded[index * ImageSet.pixelCount ..< (index + 1) * ImageSet.pixelCount])
                PixelArt.draw(image, side: ImageSet.side, into: &buffer, rect: Rect(x: x0 + step * w, y: y, width: w, height: h),
                              style: capabilities.pixels)
            }
        }
    }
}
