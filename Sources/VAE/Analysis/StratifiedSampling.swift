import LetterData
import Support

/// Picks a subset of a labelled collection with every class represented as evenly as the data allows.
///
/// NIST's EMNIST test file is sorted by class (800 a's, then 800 b's, ...), so its first N images hold
/// only the first few classes. Sampling per class fixes that: the count is shared equally between the
/// classes; a class with fewer images than its share gives the rest to the others ("water filling").
/// Within a class the images are drawn at random with a seeded generator, and the result keeps the
/// original order, so the same labels, count and seed always give the same indices.
public enum StratifiedSampling {
    /// Indices into `labels`, ascending: at most `count` of them, spread over the classes.
    public static func indices(labels: [Int], count: Int, seed: UInt64) -> [Int] {
        guard count > 0, !labels.isEmpty else { return [] }
        if count >= labels.count { return Array(labels.indices) }
        var byClass: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
        let classes = byClass.keys.sorted()
        let quotas = shares(of: count, sizes: classes.map { byClass[$0]!.count })
        var chosen: [Int] = []
        chosen.reserveCapacity(count)
        for (classIndex, label) in classes.enumerated() {
            // A generator per class, so one class's draw does not depend on the sizes of the others.
            var generator = SeededGenerator(seed: seed, stream: label)
            var members = byClass[label]!
            let take = quotas[classIndex]
            // Partial Fisher-Yates: the first `take` slots become a uniform random subset.
            for slot in 0 ..< take {
                let pick = slot + Int(generator.next() % UInt64(members.count - slot))
                members.swapAt(slot, pick)
            }
            chosen += members[0 ..< take]
        }
        return chosen.sorted()
    }

    /// Splits `total` over classes of the given sizes: equal shares, capped at each size, the leftover
    /// handed on to the classes that still have images; earlier classes get the odd remainder.
    static func shares(of total: Int, sizes: [Int]) -> [Int] {
        var quotas = [Int](repeating: 0, count: sizes.count)
        var remaining = min(total, sizes.reduce(0, +))
        while remaining > 0 {
            let open = sizes.indices.filter { quotas[$0] < sizes[$0] }
            let share = max(1, remaining / open.count)
            for index in open where remaining > 0 {
                let add = min(share, sizes[index] - quotas[index], remaining)
                quotas[index] += add
                remaining -= add
            }
        }
        return quotas
    }
}

extension ImageSet {
    /// At most `count` images with the classes as evenly represented as the data allows (see
    /// `StratifiedSampling`), and where each came from in this set.
    public func stratifiedSample(count: Int, seed: UInt64) -> (images: ImageSet, sourceIndices: [Int]) {
        let chosen = StratifiedSampling.indices(labels: labels, count: count, seed: seed)
        return (subset(chosen), chosen)
    }
}
