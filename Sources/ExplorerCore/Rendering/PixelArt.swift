import Pictures

/// Draws greyscale images (values in [0, 1], row-major, square) into cells: each cell shows two
/// pixels stacked vertically, so a 28x28 image takes 28 columns and 14 rows at full size.
public enum PixelArt {
    static let shades: [Character] = [" ", "░", "▒", "▓", "█"]
    static let ascii: [Character] = Array(" .:-=+*#%@")

    /// Resamples `image` (`side` x `side`) to `width` x `height` pixels by averaging the source area
    /// each target pixel covers (exact at integer ratios, smooth otherwise).
    public static func resample(_ image: [Float], side: Int, width: Int, height: Int) -> [Float] {
        guard width > 0, height > 0 else { return [] }
        if width == side && height == side { return image }
        var out = [Float](repeating: 0, count: width * height)
        let sx = Float(side) / Float(width), sy = Float(side) / Float(height)
        for ty in 0 ..< height {
            let y0 = Float(ty) * sy, y1 = y0 + sy
            for tx in 0 ..< width {
                let x0 = Float(tx) * sx, x1 = x0 + sx
                var sum: Float = 0, area: Float = 0
                for y in Int(y0) ..< min(side, Int(y1.rounded(.up))) {
                    let wy = min(y1, Float(y + 1)) - max(y0, Float(y))
                    for x in Int(x0) ..< min(side, Int(x1.rounded(.up))) {
                        let w = wy * (min(x1, Float(x + 1)) - max(x0, Float(x)))
                        sum += image[y * side + x] * w
                        area += w
                    }
                }
                out[ty * width + tx] = area > 0 ? sum / area : 0
            }
        }
        return out
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
        let pixels = resample(image, side: side, width: rect.width, height: rect.height * 2)
        for row in 0 ..< rect.height {
            for column in 0 ..< rect.width {
                buffer[rect.x + column, rect.y + row] = cell(top: pixels[(2 * row) * rect.width + column],
                                                             bottom: pixels[(2 * row + 1) * rect.width + column], style: style)
            }
        }
    }
}
