/// Counts of (true class, predicted class) pairs from a classifier (the 5-NN on latent codes), and
/// what a reader wants from them: each class's accuracy and the pairs most often confused.
public struct ConfusionMatrix: Sendable, Equatable {
    /// One confusion: images of `actual` predicted as `predicted`, as a share of `actual`'s images.
    public struct Pair: Sendable, Equatable {
        public var actual: Int
        public var predicted: Int
        public var count: Int
        public var fraction: Double
    }

    /// The classes of the true labels, sorted.
    public let classes: [Int]
    /// counts[actual][predicted]; predictions of a class with no true image are counted too.
    public let counts: [Int: [Int: Int]]

    public init(actual: [Int], predicted: [Int]) {
        precondition(actual.count == predicted.count, "one prediction per label")
        var counts: [Int: [Int: Int]] = [:]
        for (a, p) in zip(actual, predicted) { counts[a, default: [:]][p, default: 0] += 1 }
        self.counts = counts
        classes = counts.keys.sorted()
    }

    /// Images of class `label`.
    public func total(_ label: Int) -> Int { counts[label]?.values.reduce(0, +) ?? 0 }

    /// The share of class `label`'s images predicted as `label` (0 for a class with no image).
    public func accuracy(of label: Int) -> Double {
        let n = total(label)
        return n == 0 ? 0 : Double(counts[label]?[label] ?? 0) / Double(n)
    }

    /// The share of all images predicted right.
    public var accuracy: Double {
        let all = classes.reduce(0) { $0 + total($1) }
        return all == 0 ? 0 : Double(classes.reduce(0) { $0 + (counts[$1]?[$1] ?? 0) }) / Double(all)
    }

    /// Off-diagonal pairs by decreasing share of the true class (ties: more images first, then by
    /// labels), at most `limit`, leaving out pairs seen fewer than `minimumCount` times: one stray
    /// image of a class of three is not "33 % confused".
    public func mostConfused(limit: Int, minimumCount: Int = 2) -> [Pair] {
        var pairs: [Pair] = []
        for actual in classes {
            let n = total(actual)
            for (predicted, count) in counts[actual] ?? [:] where predicted != actual && count >= minimumCount {
                pairs.append(Pair(actual: actual, predicted: predicted, count: count, fraction: Double(count) / Double(n)))
            }
        }
        pairs.sort {
            ($0.fraction, $0.count, -$0.actual, -$0.predicted) > ($1.fraction, $1.count, -$1.actual, -$1.predicted)
        }
        return Array(pairs.prefix(limit))
    }
}
