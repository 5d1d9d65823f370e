/// What surrounds the cursor among the test codes: the nearest few test letters, and each class's
/// centre (the mean of its test codes) by distance. The side pane shows them where it has room.
public struct Neighbourhood: Sendable {
    /// The nearest test letters, nearest first: index into the test set and distance.
    public var nearest: [(index: Int, distance: Float)]
    /// Every class present, by the distance from the point to the mean of its test codes, nearest first.
    public var classes: [(label: Int, distance: Float)]

    /// Letters in `nearest`: as many as the kNN's vote counts, so the row shows who voted.
    public static let letters = 5

    /// `codes` is `[count, dimension]`, `labels` one class per row.
    public static func measure(_ point: [Float], codes: [Float], labels: [Int], dimension: Int) -> Neighbourhood {
        var distances: [(index: Int, distance: Float)] = []
        distances.reserveCapacity(labels.count)
        var sums: [Int: (sum: [Float], count: Int)] = [:]
        for row in labels.indices {
            var squared: Float = 0
            var entry = sums[labels[row]] ?? ([Float](repeating: 0, count: dimension), 0)
            for j in 0 ..< dimension {
                let value = codes[row * dimension + j]
                let d = value - point[j]
                squared += d * d
                entry.sum[j] += value
            }
            entry.count += 1
            sums[labels[row]] = entry
            distances.append((row, squared.squareRoot()))
        }
        let nearest = Array(distances.sorted { $0.distance < $1.distance }.prefix(letters))
        let classes = sums.map { label, entry -> (label: Int, distance: Float) in
            var squared: Float = 0
            for j in 0 ..< dimension {
                let d = entry.sum[j] / Float(entry.count) - point[j]
                squared += d * d
            }
            return (label, squared.squareRoot())
        }.sorted { $0.distance < $1.distance || ($0.distance == $1.distance && $0.label < $1.label) }
        return Neighbourhood(nearest: nearest, classes: classes)
    }
}
