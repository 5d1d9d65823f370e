import FileFormats

/// A photo's ink as 0...1 per pixel, with the paper's uneven lighting taken out: what a phone photo of
/// a page needs before its letter can be framed. A scan or a drawing on even paper comes out as it went in.
///
/// 1. The picture is turned so that ink is bright (`d`, 0...255): dark ink on light paper is inverted.
/// 2. The paper's own level is estimated per block of the picture (a low percentile of each block, so the
///    ink in it does not count) and interpolated between block centres: shadows and a lamp's gradient
///    become part of the background, not ink.
/// 3. What stands above the background is split into paper and ink by Otsu's threshold; the paper's
///    texture (the 90th percentile of the paper side) is the floor, the ink's level (the 90th percentile
///    of the ink side) is 1. Thin ballpoint strokes that cover under 1 % of a photo get full contrast too.
public enum PaperNormalisation {
    /// Blocks are a quarter of the picture's shorter side (at least `smallestBlock` pixels): several
    /// strokes wide, so a block is mostly paper, yet small enough to follow a shadow across a page.
    static let blocksPerSide = 4
    static let smallestBlock = 8
    /// A block's paper level: its 10th percentile of ink-brightness, which ink covering most of it moves.
    static let paperPercentile = 0.10
    /// Each side of Otsu's threshold is summarised by its 90th percentile: the paper's texture and the
    /// ink's level (not its few brightest pixels, nor a speck).
    static let sidePercentile = 0.90
    /// Below this difference (in 0...255 levels) between paper texture and ink there is nothing written.
    static let minimumContrast: Float = 8

    /// Ink 0...1 per pixel (`width * height`, row-major) of `picture`, whose ink is dark on light paper
    /// when `darkInk`, light on dark otherwise.
    public static func ink(_ picture: RasterImage, darkInk: Bool) -> [Float] {
        let w = picture.width, h = picture.height
        let bright = picture.luminance.map { darkInk ? 255 - Float($0) : Float($0) }
        let paper = background(bright, width: w, height: h)
        var above = [Float](repeating: 0, count: w * h)
        for i in 0 ..< w * h { above[i] = max(0, bright[i] - paper[i]) }
        let threshold = otsuThreshold(above)
        let floor = percentile(above.filter { $0 < threshold }, sidePercentile)
        let level = percentile(above.filter { $0 >= threshold }, sidePercentile)
        guard level - floor >= minimumContrast else { return [Float](repeating: 0, count: w * h) }
        let scale = 1 / (level - floor)
        return above.map { max(0, min(1, ($0 - floor) * scale)) }
    }

    /// The paper's level at each pixel: each block's low percentile, bilinear between block centres.
    static func background(_ values: [Float], width: Int, height: Int) -> [Float] {
        let block = max(smallestBlock, min(width, height) / blocksPerSide)
        let columns = (width + block - 1) / block, rows = (height + block - 1) / block
        var grid = [Float](repeating: 0, count: columns * rows)
        for by in 0 ..< rows {
            for bx in 0 ..< columns {
                var cell: [Float] = []
                for y in by * block ..< min(height, (by + 1) * block) {
                    for x in bx * block ..< min(width, (bx + 1) * block) { cell.append(values[y * width + x]) }
                }
                grid[by * columns + bx] = percentile(cell, paperPercentile)
            }
        }
        var out = [Float](repeating: 0, count: width * height)
        for y in 0 ..< height {
            let gy = min(Float(rows - 1), max(0, (Float(y) + 0.5) / Float(block) - 0.5))
            let y0 = Int(gy), y1 = min(y0 + 1, rows - 1), fy = gy - Float(y0)
            for x in 0 ..< width {
                let gx = min(Float(columns - 1), max(0, (Float(x) + 0.5) / Float(block) - 0.5))
                let x0 = Int(gx), x1 = min(x0 + 1, columns - 1), fx = gx - Float(x0)
                let top = grid[y0 * columns + x0] * (1 - fx) + grid[y0 * columns + x1] * fx
                let bottom = grid[y1 * columns + x0] * (1 - fx) + grid[y1 * columns + x1] * fx
                out[y * width + x] = top * (1 - fy) + bottom * fy
            }
        }
        return out
    }

    /// The value below which a `fraction` of `values` (0...255) lie, to a quarter level (0 for none):
    /// counted in a histogram, as a photo has a million of them.
    static func percentile(_ values: [Float], _ fraction: Double) -> Float {
        guard !values.isEmpty else { return 0 }
        let binsPerLevel: Float = 4
        var histogram = [Int](repeating: 0, count: 256 * Int(binsPerLevel))
        for v in values { histogram[Int(max(0, min(255.99, v)) * binsPerLevel)] += 1 }
        return Float(LetterPreparation.quantile(histogram, fraction)) / binsPerLevel
    }

    /// Otsu's threshold over a 256-bin histogram of `values` (0...255): the split that maximises the
    /// variance between the two sides.
    static func otsuThreshold(_ values: [Float]) -> Float {
        var histogram = [Double](repeating: 0, count: 256)
        for v in values { histogram[Int(max(0, min(255, v)))] += 1 }
        let total = Double(values.count)
        let sum = histogram.enumerated().reduce(0.0) { $0 + Double($1.offset) * $1.element }
        var below = 0.0, belowSum = 0.0, best = -1.0, threshold = 0
        for level in 0 ..< 255 {
            below += histogram[level]
            belowSum += Double(level) * histogram[level]
            let above = total - below
            guard below > 0, above > 0 else { continue }
            let difference = belowSum / below - (sum - belowSum) / above
            let between = below * above * difference * difference
            if between > best { best = between; threshold = level + 1 }
        }
        return Float(threshold)
    }
}
