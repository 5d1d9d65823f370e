import Foundation
import LetterData
import VAE

/// The traversal view, in the plane's place: one row per latent dimension, each sweeping that
/// dimension from -range to +range with the others held at the subject's code. Rows go from the
/// dimension the encoder uses most (largest spread of the test codes) to the least; `[` `]` scroll.
struct TraversalPane {
    let state: ExplorerState
    let facts: any ModelFacts
    /// The decoded letters of `points(state:facts:rect:)`, row by row (nil: not decoded yet).
    let decoded: [Float]?
    let capabilities: TerminalCapabilities

    static let range: Float = 3
    /// Columns for each row's label: "z12" over "σ0.98".
    static let labelWidth = 7
    static let maximumSteps = 15

    /// A sweep shows at least this many letters (odd: the middle one is the subject's own value).
    static let minimumSteps = 7
    /// The rows the tile size must leave room for: every dimension up to this many (the rest scroll).
    static let preferredRows = 6

    /// Letters per row of tiles `tileWidth` wide (with gaps) for an interior this wide: as many as fit,
    /// odd so the middle one is 0.
    static func steps(interiorWidth: Int, tileWidth: Int = TileSize.smallest.width) -> Int {
        let fit = min(maximumSteps, max(3, TileSize.count(of: tileWidth, in: interiorWidth - labelWidth)))
        return fit % 2 == 1 ? fit : fit - 1
    }

    /// The letters' size in `inside` for `dimensions` rows, as the plane's grow with the terminal: the
    /// largest of the ladder that shows `minimumSteps` across and every dimension (up to
    /// `preferredRows`) down, with a gap between letters; the smallest where none does.
    static func tile(for inside: Rect, dimensions: Int) -> TileSize {
        let rowsWanted = max(1, min(dimensions, preferredRows))
        return TileSize.ladder.last { tile in
            TileSize.count(of: tile.width, in: inside.width - labelWidth) >= minimumSteps
                && TileSize.count(of: tile.height, in: inside.height) >= rowsWanted
        } ?? TileSize.smallest
    }

    /// The rows a pane of `rect` shows: the dimensions (most used first, from the scroll position), the
    /// first row's place in that order, how many there are, the letters per row and their size.
    static func rows(state: ExplorerState, facts: any ModelFacts, rect: Rect)
        -> (dimensions: [Int], first: Int, of: Int, steps: Int, tile: TileSize) {
        let inside = rect.interior
        let order = facts.dimensionsBySpread
        let tile = tile(for: inside, dimensions: order.count)
        let rowsShown = max(1, TileSize.count(of: tile.height, in: inside.height))
        let first = min(state.traversalScroll, max(0, order.count - rowsShown))
        return (Array(order[first ..< min(order.count, first + rowsShown)]), first, order.count,
                steps(interiorWidth: inside.width, tileWidth: tile.width), tile)
    }

    /// The latent points the traversal in `rect` shows, `[rows * steps, latentDim]`.
    static func points(state: ExplorerState, facts: any ModelFacts, rect: Rect) -> [Float] {
        let rows = rows(state: state, facts: facts, rect: rect)
        let code = Subject(state: state, facts: facts).code
        return rows.dimensions.flatMap { LatentPaths.traversal(of: code, dimension: $0, range: range, steps: rows.steps) }
    }

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        let style = PanelStyle(capabilities: capabilities)
        let inside = rect.interior
        let subject = Subject(state: state, facts: facts)
        let (dimensions, first, count, steps, tile) = Self.rows(state: state, facts: facts, rect: rect)
        let scroll = count > dimensions.count ? "  rows \(first + 1)-\(first + dimensions.count) of \(count), [ ] scroll" : ""
        let title = "Traversal of \(subject.name): each dimension \(Format.signed(-Self.range, digits: 0))…\(Format.signed(Self.range, digits: 0))\(scroll)"
        buffer.frame(rect, title: title, style: style.frame, titleStyle: style.title)
        buffer.fill(inside)

        // Letters with the plane's gaps between them, the block centred in the room right of the labels.
        let (w, h) = (tile.width + TileSize.gap, tile.height + TileSize.gap)
        let room = inside.width - Self.labelWidth
        let x0 = inside.x + Self.labelWidth + max(0, (room - steps * w - TileSize.gap) / 2) + TileSize.gap
        let y0 = inside.y + max(0, (inside.height - dimensions.count * h - TileSize.gap) / 2) + TileSize.gap
        for (row, dimension) in dimensions.enumerated() {
            let y = y0 + row * h
            buffer.put("z\(dimension + 1)", x: inside.x + 1, y: y, style: CellStyle(bold: true))
            buffer.put("σ" + Format.fixed(facts.spread(dimension)), x: inside.x, y: y + 1, style: style.muted, limit: Self.labelWidth - 1)
            buffer.put(Format.signed(subject.code[dimension], digits: 1), x: inside.x, y: y + 2, style: style.muted, limit: Self.labelWidth - 1)
            for step in 0 ..< steps {
                guard let decoded else { break }
                let index = row * steps + step
                let image = Array(decoded[index * ImageSet.pixelCount ..< (index + 1) * ImageSet.pixelCount])
                PixelArt.draw(image, side: ImageSet.side, into: &buffer, rect: Rect(x: x0 + step * w, y: y, width: tile.width, height: tile.height),
                              style: capabilities.pixels)
            }
        }
    }
}
