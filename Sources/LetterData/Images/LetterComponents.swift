/// Keeps the ink that makes up the letter and drops what does not: specks of dirt or paper texture,
/// and the pieces of neighbouring letters that a crop cuts through at its edges.
///
/// The ink (at `inkThreshold`, its gaps of a pixel bridged) falls into 8-connected pieces. The heaviest
/// (by total ink) is the letter. Another piece stays when it is not a speck (at least `speckShare` of
/// the letter's ink: the dot of an i, a separate bar) and it does not reach the picture's edge: a piece
/// that a crop cuts through belongs to a neighbouring letter (or a smudge at the edge of the paper).
enum LetterComponents {
    static let inkThreshold: Float = 0.25
    static let speckShare: Float = 0.03

    /// `ink` (`width * height`) with everything but the letter's pieces set to 0.
    static func keepLetter(_ ink: [Float], width: Int, height: Int) -> [Float] {
        let mask = StrokeWidth.dilate(ink.map { $0 >= inkThreshold ? 1 : 0 }, width: width, height: height, radius: 1).map { $0 > 0 }
        let (labels, pieces) = label(mask, ink: ink, width: width, height: height)
        guard let heaviest = pieces.indices.max(by: { pieces[$0].ink < pieces[$1].ink }) else { return ink }
        let letter = pieces[heaviest].ink
        let kept = pieces.indices.map { i in
            i == heaviest || (pieces[i].ink >= speckShare * letter && !pieces[i].touchesEdge)
        }
        var out = ink
        for i in 0 ..< out.count where labels[i] < 0 || !kept[labels[i]] { out[i] = 0 }
        return out
    }

    /// Each pixel's piece (-1 for none) and each piece's total ink and whether it reaches the edge.
    static func label(_ mask: [Bool], ink: [Float], width: Int, height: Int) -> (labels: [Int], pieces: [(ink: Float, touchesEdge: Bool)]) {
        var labels = [Int](repeating: -1, count: width * height)
        var pieces: [(ink: Float, touchesEdge: Bool)] = []
        var stack: [Int] = []
        for start in 0 ..< width * height where mask[start] && labels[start] < 0 {
            let id = pieces.count
            var total: Float = 0, edge = false
            labels[start] = id
            stack.append(start)
            while let p = stack.popLast() {
                let x = p % width, y = p / width
                total += ink[p]
                if x == 0 || y == 0 || x == width - 1 || y == height - 1 { edge = true }
                for dy in -1 ... 1 {
                    for dx in -1 ... 1 {
                        let xx = x + dx, yy = y + dy
                        guard xx >= 0, yy >= 0, xx < width, yy < height else { continue }
                        let q = yy * width + xx
                        if mask[q] && labels[q] < 0 { labels[q] = id; stack.append(q) }
                    }
                }
            }
            pieces.append((total, edge))
        }
        return (labels, pieces)
    }
}
