/// Each class's centre: the mean latent code of its test letters. `g` and a letter put the cursor on
/// one; the side pane says how far the cursor is from each.
public struct ClassCentres: Sendable, Equatable {
    /// One per class with test letters: its label and mean code (`latentDim` values).
    public let centres: [(label: Int, code: [Float])]

    public static func == (a: ClassCentres, b: ClassCentres) -> Bool {
        a.centres.map(\.label) == b.centres.map(\.label) && a.centres.map(\.code) == b.centres.map(\.code)
    }

    /// The centres of `labels`' classes from `codes` (`[count, dimension]` row-major, one per label).
    public init(codes: [Float], labels: [Int], dimension: Int) {
        var sums: [Int: [Double]] = [:], counts: [Int: Int] = [:]
        for (i, label) in labels.enumerated() {
            var sum = sums[label] ?? [Double](repeating: 0, count: dimension)
            for j in 0 ..< dimension { sum[j] += Double(codes[i * dimension + j]) }
            sums[label] = sum
            counts[label, default: 0] += 1
        }
        centres = sums.keys.sorted().map { label in (label, sums[label]!.map { Float($0 / Double(counts[label]!)) }) }
    }

    public func centre(of label: Int) -> [Float]? { centres.first { $0.label == label }?.code }

    /// Each centre's Euclidean distance from `point`, nearest first.
    public func distances(from point: [Float]) -> [(label: Int, distance: Float)] {
        centres.map { centre in
            (centre.label, zip(centre.code, point).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot())
        }.sorted { $0.distance < $1.distance }
    }
}
