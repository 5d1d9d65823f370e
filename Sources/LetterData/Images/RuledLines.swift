/// Removes the ruled lines of lined paper from an ink map: a line crosses the whole picture, nearly
/// level, and is thin; a letter's strokes do not cross the picture, or cross the line instead of
/// running along it. Vertical lines are left alone: a tight crop of an l or a T's stem spans its
/// picture's height just as a margin line would.
enum RuledLines {
    /// Ink at least this strong counts as part of a line (faint printed lines are weaker than the pen).
    static let inkThreshold: Float = 0.2
    /// A row is on a line when ink within `slope` rows of it covers this share of the columns.
    static let cover: Float = 0.8
    /// How far a line may drift per column (3 %: a page photographed a few degrees askew).
    static let slope: Float = 0.03
    /// A line is at most this share of the picture's shorter side thick (and at least 3 pixels).
    static let thicknessPerSide = 20

    /// `ink` (`width * height`) with the pixels of horizontal ruled lines set to 0.
    static func remove(_ ink: [Float], width: Int, height: Int) -> [Float] {
        let mask = ink.map { $0 >= inkThreshold }
        let band = max(2, Int((slope * Float(width)).rounded()))
        let thickest = max(3, min(width, height) / thicknessPerSide)
        let near = rowsToInk(mask, width: width, height: height)
        var line = [Bool](repeating: false, count: width * height)
        for y in 0 ..< height {
            var covered = 0
            for x in 0 ..< width where near[y * width + x] <= band { covered += 1 }
            guard Float(covered) >= cover * Float(width) else { continue }
            for x in 0 ..< width where mask[y * width + x] && !line[y * width + x] {
                // The vertical run of ink through (x, y): a line's is thin, a stroke crossing it is not.
                var top = y, bottom = y
                while top > 0 && mask[(top - 1) * width + x] { top -= 1 }
                while bottom < height - 1 && mask[(bottom + 1) * width + x] { bottom += 1 }
                if bottom - top + 1 <= thickest { for yy in top ... bottom { line[yy * width + x] = true } }
            }
        }
        var out = ink
        for i in 0 ..< out.count where line[i] { out[i] = 0 }
        return out
    }

    /// For each pixel, how many rows away the nearest ink in its column is (`height` for none): one pass
    /// down and one up each column.
    static func rowsToInk(_ mask: [Bool], width: Int, height: Int) -> [Int] {
        var distance = [Int](repeating: height, count: width * height)
        for x in 0 ..< width {
            var last = -height
            for y in 0 ..< height {
                if mask[y * width + x] { last = y }
                distance[y * width + x] = y - last
            }
            last = 2 * height
            for y in stride(from: height - 1, through: 0, by: -1) {
                if mask[y * width + x] { last = y }
                distance[y * width + x] = min(distance[y * width + x], last - y)
            }
        }
        return distance
    }
}
