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
    /// What is left of a line where it was thicker than that, or crossed: pieces of ink wholly within a
    /// line's rows that together span at least this share of the picture's width are the line's dashes,
    /// not the letter (a dot or a comma alone spans a few percent). Without this, the thicker stretches
    /// of a close crop's line stayed as dashes that no longer reach the picture's edge and were kept as
    /// part of the letter (development photo lined-r: a bar over the r, read as h).
    static let dashedCover: Float = 0.25
    /// Of those pieces, only the ones at least this many times wider than tall go: a dash lies along its
    /// line, where the dot of an i near the line is about as tall as wide and stays (the smaller scraps
    /// are specks, which `LetterComponents` drops).
    static let dashAspect: Float = 1.5

    /// `ink` (`width * height`) with the pixels of horizontal ruled lines set to 0.
    static func remove(_ ink: [Float], width: Int, height: Int) -> [Float] {
        let mask = ink.map { $0 >= inkThreshold }
        let band = max(2, Int((slope * Float(width)).rounded()))
        let thickest = max(3, min(width, height) / thicknessPerSide)
        let near = rowsToInk(mask, width: width, height: height)
        let runs = verticalRuns(mask, width: width, height: height)
        var out = ink
        var onLine = [Bool](repeating: false, count: height)
        for y in 0 ..< height {
            var covered = 0
            for x in 0 ..< width where near[y * width + x] <= band { covered += 1 }
            guard Float(covered) >= cover * Float(width) else { continue }
            onLine[y] = true
            // A line's vertical run of ink is thin; a stroke crossing it makes the run longer.
            for x in 0 ..< width where runs[y * width + x] > 0 && runs[y * width + x] <= thickest { out[y * width + x] = 0 }
        }
        return onLine.contains(true) ? droppingDashes(out, onLine: onLine, reach: thickest, width: width, height: height) : out
    }

    /// `ink` without the flat pieces (8-connected, at `inkThreshold`) that lie within `reach` rows of one
    /// line's `onLine` rows from top to bottom, when that line's pieces span `dashedCover` of the width.
    static func droppingDashes(_ ink: [Float], onLine: [Bool], reach: Int, width: Int, height: Int) -> [Float] {
        // Each row near a line gets that line's number (its rows, widened by `reach`, run together).
        var line = [Int](repeating: -1, count: height)
        var lines = 0
        for y in 0 ..< height where onLine[y] {
            let from = max(0, y - reach), to = min(height - 1, y + reach)
            let id = (from ... to).lazy.map { line[$0] }.first { $0 >= 0 } ?? { lines += 1; return lines - 1 }()
            for yy in from ... to { line[yy] = id }
        }
        let (labels, pieces) = LetterComponents.label(ink.map { $0 >= inkThreshold }, ink: ink, width: width, height: height)
        var minX = [Int](repeating: width, count: pieces.count), maxX = [Int](repeating: -1, count: pieces.count)
        var minY = [Int](repeating: height, count: pieces.count), maxY = [Int](repeating: -1, count: pieces.count)
        var pieceLine = [Int](repeating: -2, count: pieces.count)   // -2 none yet, -1 not within one line
        for y in 0 ..< height {
            for x in 0 ..< width where labels[y * width + x] >= 0 {
                let i = labels[y * width + x]
                minX[i] = min(minX[i], x); maxX[i] = max(maxX[i], x); minY[i] = min(minY[i], y); maxY[i] = max(maxY[i], y)
                pieceLine[i] = pieceLine[i] == -2 || pieceLine[i] == line[y] ? line[y] : -1
            }
        }
        let flat: [Bool] = pieces.indices.map { Float(maxX[$0] - minX[$0] + 1) >= dashAspect * Float(maxY[$0] - minY[$0] + 1) }
        var span = [Int](repeating: 0, count: lines)
        for i in pieces.indices where pieceLine[i] >= 0 { span[pieceLine[i]] += maxX[i] - minX[i] + 1 }
        var out = ink
        for p in 0 ..< out.count where labels[p] >= 0 {
            let l = pieceLine[labels[p]]
            if l >= 0 && flat[labels[p]] && Float(span[l]) >= dashedCover * Float(width) { out[p] = 0 }
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
