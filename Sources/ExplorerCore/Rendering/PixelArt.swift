import Pictures

/// Draws greyscale images (values in [0, 1], row-major, square) into cells: each cell shows two
/// pixels stacked vertically, so a 28x28 image takes 28 columns and 14 rows at full size.
public enum PixelArt {
    static let shades: [Character] = [" ", "░", "▒", "▓", "█"]
    static let ascii: [Character] = Array(" .:-=+*#%@")

    /// Resamples `image` (`side` x `side`) to `width` x `height` pixels by averaging the source area
    /// each target pixel covers (exact at integer ratios, smooth otherwise).
    public static func resample(_ image: [Float], side: Int, width: Int, height: Int) -> [Float] {
        image.withUnsafeBufferPointer { resample($0, side: side, width: width, height: height) }
    }

    /// The same over pixels in place (a tile of a decoded batch, without copying it out first). Each
    /// target column's and row's overlaps with the source pixels are worked out once (`Overlaps`) rather
    /// than for every target pixel; the products and sums are the same, in the same order, so the
    /// result is the same bit for bit. The plane's grid is resampled this way every frame.
    public static func resample(_ image: UnsafeBufferPointer<Float>, side: Int, width: Int, height: Int) -> [Float] {
        guard width > 0, height > 0 else { return [] }
        if width == side && height == side { return Array(image) }
        let columns = Overlaps(side: side, count: width), rows = Overlaps(side: side, count: height)
        var out = [Float](repeating: 0, count: width * height)
        for ty in 0 ..< height {
            let (yStart, yWeights) = rows.span(ty)
            for tx in 0 ..< width {
                let (xStart, xWeights) = columns.span(tx)
                var sum: Float = 0, area: Float = 0
                for (dy, wy) in yWeights.enumerated() {
                    let row = (yStart + dy) * side + xStart
                    for (dx, wx) in xWeights.enumerated() {
                        let w = wy * wx
                        sum += image[row + dx] * w
                        area += w
                    }
                }
                out[ty * width + tx] = area > 0 ? sum / area : 0
            }
        }
        return out
    }

    /// How each of `count` target pixels along one axis covers the `side` source pixels: the first
    /// source pixel it touches and the length of its overlap with each one from there, computed as the
    /// per-pixel loop did (`min(end, x + 1) - max(start, x)`).
    private struct Overlaps {
        private var starts: [Int] = []
        private var weights: [[Float]] = []

        init(side: Int, count: Int) {
            let scale = Float(side) / Float(count)
            for target in 0 ..< count {
                let start = Float(target) * scale, end = start + scale
                let first = Int(start)
                starts.append(first)
                weights.append((first ..< max(first, min(side, Int(end.rounded(.up))))).map { min(end, Float($0 + 1)) - max(start, Float($0)) })
            }
        }

        func span(_ target: Int) -> (start: Int, weights: [Float]) { (starts[target], weights[target]) }
    }

    /// One cell showing pixels `top` and `bottom`.
    public static func cell(top: Float, bottom: Float, style: TerminalCapabilities.PixelStyle) -> Cell {
        switch style {
        case .halfBlocks256:
            return Cell("▀", CellStyle(foreground: Palette.grey(top), background: Palette.grey(bottom)))
        case .shades:
            return Cell(pick(shades, (top + bottom) / 2))
        case .ascii:
            return Cell(pick(ascii, (top + bottom) / 2))
        }
    }

    private static func pick(_ ramp: [Character], _ v: Float) -> Character {
        ramp[Int((v.unitClamped * Float(ramp.count - 1)).rounded())]
    }

    /// Draws `image` into `rect` at `rect.width` x `2 * rect.height` pixels.
    public static func draw(_ image: [Float], side: Int, into buffer: inout CellBuffer, rect: Rect,
                            style: TerminalCapabilities.PixelStyle) {
        image.withUnsafeBufferPointer { draw($0, side: side, into: &buffer, rect: rect, style: style) }
    }

    /// The same from pixels in place: one tile of a decoded batch.
    public static func draw(_ image: UnsafeBufferPointer<Float>, side: Int, into buffer: inout CellBuffer, rect: Rect,
                            style: TerminalCapabilities.PixelStyle) {
        let pixels = resample(image, side: side, width: rect.width, height: rect.height * 2)
        for row in 0 ..< rect.height {
            for column in 0 ..< rect.width {
                buffer[rect.x + column, rect.y + row] = cell(top: pixels[(2 * row) * rect.width + column],
                                                             bottom: pixels[(2 * row + 1) * rect.width + column], style: style)
            }
        }
    }
}
