/// Removes the ruled lines of lined paper from an ink map: a line crosses the whole picture, nearly
/// level, and is thin; a letter's strokes do not cross the picture, or cross the line instead of
/// running along it. Vertical lines are left alone: a tight crop of an l or a T's stem spans its
/// picture's height just as a margin line would.
enum RuledLines {
    /// Ink at least this strong counts as part of a line (faint printed lines are weaker than the pen).
    static let inkThreshold: Float = 0.2
    /// A row is on a line when ink within `slope` rows of it covers this share of the columns.
    static let cover: Float = 0.8
    /// How far a line may drift per column (7 %: a page photographed up to 4° askew; the development
    /// photos' ruled page, page05.jpg, drops 6 % across a crop, where a 3 % allowance left the middle
    /// of an M's line as a bar through it).
    static let slope: Float = 0.07
    /// A line is at most this share of the picture's shorter side thick (and at least 3 pixels).
    static let thicknessPerSide = 20

    /// `ink` (`width * height`) with the pixels of horizontal ruled lines set to 0.
    static func remove(_ ink: [Float], width: Int, height: Int) -> [Float] {
        let mask = ink.map { $0 >= inkThreshold }
        let band = max(2, Int((slope * Float(width)).rounded()))
        let thickest = max(3, min(width, height) / thicknessPerSide)
        let near = rowsToInk(mask, width: width, height: height)
        let runs = verticalRuns(mask, width: width, height: height)
        var out = ink
        for y in 0 ..< height {
            var covered = 0
            for x in 0 ..< width where near[y * width + x] <= band { covered += 1 }
            guard Float(covered) >= cover * Float(width) else { continue }
            // A line's vertical run of ink is thin; a stroke crossing it makes the run longer.
            for x in 0 ..< width where runs[y * width + x] > 0 && runs[y * width + x] <= thickest { out[y * width + x] = 0 }
        }
        return out
    }

    /// For each pixel of ink, the length of the vertical run of ink through it (0 off the ink).
    static func verticalRuns(_ mask: [Bool], width: Int, height: Int) -> [Int] {
        var runs = [Int](repeating: 0, count: width * height)
        for x in 0 ..< width {
            var y = 0
            while y < height {
                guard mask[y * width + x] else { y += 1; continue }
                var end = y
                while end < height && mask[end * width + x] { end += 1 }
                for yy in y ..< end { runs[yy * width + x] = end - y }
                y = end
            }
        }
        return runs
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
