import Support
#if canImport(Glibc)
import Glibc
#endif

/// How far apart the classes' codes lie: the numbers behind "crowded".
///
/// - **Crowding** (neighbour overlap): for each code, the share of its `crowdingNeighbours` nearest
///   other codes that belong to another class, averaged over the codes. 0 when every code is among
///   its own class, rising towards 1 - 1/C when C classes are mixed at random. It asks only whether
///   classes overlap where they meet, so it suits the curved, elongated class regions of a VAE plane.
/// - **Silhouette** (Rousseeuw 1987): for a code i of class A, a(i) is its mean distance to the other
///   codes of A and b(i) the smallest mean distance to the codes of another class;
///   s(i) = (b - a) / max(a, b), in [-1, 1] (0 for the only code of its class). The mean over all
///   codes is 1 when each class is a tight cluster far from the others, near 0 when classes overlap
///   (a crowded space) and negative when codes sit closer to another class than to their own. It is
///   scale-free, so models with different latent sizes or spreads compare.
/// - **Spread ratio**: the between-class spread over the within-class spread,
///   Σ_c n_c |μ_c - μ|² / Σ_i |x_i - μ_class(i)|², 0 when the class means coincide.
///
/// Both use Euclidean distances in the full latent space.
public enum ClassSeparation {
    /// The silhouette is O(n²): above this many codes it is taken on a stratified sample of them.
    public static let silhouetteSampleLimit = 3_000
    static let sampleSeed: UInt64 = 18

    /// Neighbours each code's crowding is measured over.
    public static let crowdingNeighbours = 10

    /// The neighbour overlap of `codes` (`[count, dimension]`) labelled `labels` (see the type's
    /// comment): ties in distance go to the earlier code. Over `sampleLimit` codes, on a stratified
    /// seeded sample of that many (neighbours are then sought among the sample).
    public static func crowding(codes: [Float], labels: [Int], dimension: Int, neighbours k: Int = crowdingNeighbours,
                                sampleLimit: Int = silhouetteSampleLimit) -> Double {
        precondition(codes.count == labels.count * dimension, "one code per label")
        let chosen = labels.count > sampleLimit
            ? StratifiedSampling.indices(labels: labels, count: sampleLimit, seed: sampleSeed) : Array(labels.indices)
        let k = min(k, chosen.count - 1)
        guard k >= 1 else { return 0 }
        let shares = Parallel.mapChunks(count: chosen.count) { range -> Double in
            var sum: Double = 0
            var nearest = NearestPositions(k: k)
            for i in range {
                let a = chosen[i]
                nearest.reset()
                for (position, b) in chosen.enumerated() where b != a {
                    var d: Float = 0
                    for j in 0 ..< dimension {
                        let diff = codes[a * dimension + j] - codes[b * dimension + j]
                        d += diff * diff
                    }
                    nearest.offer(d, position)
                }
                let others = nearest.positions.filter { labels[chosen[$0]] != labels[a] }.count
                sum += Double(others) / Double(k)
            }
            return sum
        }
        return shares.reduce(0, +) / Double(chosen.count)
    }

    /// The k smallest (distance, position) pairs offered, in that order (ties to the earlier position, as
    /// a full sort by distance then position would give them): an insertion into k slots, since only
    /// the k nearest of thousands are wanted. Distances are finite or NaN; a NaN sorts after every number,
    /// as `<` never holds for it.
    struct NearestPositions {
        private(set) var distances: [Float], positions: [Int]
        let k: Int

        init(k: Int) {
            self.k = k
            distances = []; positions = []
            distances.reserveCapacity(k); positions.reserveCapacity(k)
        }

        mutating func reset() {
            distances.removeAll(keepingCapacity: true)
            positions.removeAll(keepingCapacity: true)
        }

        /// Positions arrive in increasing order, so a distance equal to a kept one goes after it.
        mutating func offer(_ d: Float, _ position: Int) {
            if distances.count == k {
                guard Self.before(d, distances[k - 1]) else { return }
                distances.removeLast(); positions.removeLast()
            }
            var slot = distances.count
            while slot > 0 && Self.before(d, distances[slot - 1]) { slot -= 1 }
            distances.insert(d, at: slot); positions.insert(position, at: slot)
        }

        /// The order of the full sort this replaces: by distance, NaN last.
        private static func before(_ a: Float, _ b: Float) -> Bool { a < b || (b.isNaN && !a.isNaN) }
    }

    /// The mean silhouette of `codes` (`[count, dimension]`) labelled `labels`; 0 with fewer than two
    /// classes. Over `silhouetteSampleLimit` codes, on a stratified seeded sample of that many.
    public static func silhouette(codes: [Float], labels: [Int], dimension: Int,
                                  sampleLimit: Int = silhouetteSampleLimit) -> Double {
        precondition(codes.count == labels.count * dimension, "one code per label")
        let chosen = labels.count > sampleLimit
            ? StratifiedSampling.indices(labels: labels, count: sampleLimit, seed: sampleSeed) : Array(labels.indices)
        let classes = Array(Set(chosen.map { labels[$0] })).sorted()
        guard classes.count > 1 else { return 0 }
        let slot = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let sizes = chosen.reduce(into: [Int](repeating: 0, count: classes.count)) { $0[slot[labels[$1]]!] += 1 }
        let scores = Parallel.mapChunks(count: chosen.count) { range -> Double in
            var sum: Double = 0
            var distanceSums = [Double](repeating: 0, count: classes.count)
            for i in range {
                let a = chosen[i]
                for c in distanceSums.indices { distanceSums[c] = 0 }
                for b in chosen {
                    var d: Float = 0
                    for j in 0 ..< dimension {
                        let diff = codes[a * dimension + j] - codes[b * dimension + j]
                        d += diff * diff
                    }
                    distanceSums[slot[labels[b]]!] += Double(sqrtf(d))
                }
                let own = slot[labels[a]]!
                guard sizes[own] > 1 else { continue }   // a singleton scores 0
                let within = distanceSums[own] / Double(sizes[own] - 1)
                var nearest = Double.infinity
                for c in classes.indices where c != own && sizes[c] > 0 {
                    nearest = min(nearest, distanceSums[c] / Double(sizes[c]))
                }
                let larger = max(within, nearest)
                if larger > 0 { sum += (nearest - within) / larger }
            }
            return sum
        }
        return scores.reduce(0, +) / Double(chosen.count)
    }

    /// Between-class over within-class spread (see the type's comment); infinity when every class is
    /// a single point apart from the others, 0 for one class.
    public static func spreadRatio(codes: [Float], labels: [Int], dimension: Int) -> Double {
        precondition(codes.count == labels.count * dimension, "one code per label")
        guard !labels.isEmpty else { return 0 }
        var sums: [Int: [Double]] = [:], counts: [Int: Int] = [:]
        var total = [Double](repeating: 0, count: dimension)
        for (i, label) in labels.enumerated() {
            var s = sums[label] ?? [Double](repeating: 0, count: dimension)
            for j in 0 ..< dimension {
                s[j] += Double(codes[i * dimension + j])
                total[j] += Double(codes[i * dimension + j])
            }
            sums[label] = s
            counts[label, default: 0] += 1
        }
        var means: [Int: [Double]] = [:]
        for (label, sum) in sums { means[label] = sum.map { $0 / Double(counts[label]!) } }
        let grand = total.map { $0 / Double(labels.count) }
        var between: Double = 0, within: Double = 0
        for (label, mean) in means {
            for j in 0 ..< dimension { between += Double(counts[label]!) * (mean[j] - grand[j]) * (mean[j] - grand[j]) }
        }
        for (i, label) in labels.enumerated() {
            let mean = means[label]!
            for j in 0 ..< dimension {
                let diff = Double(codes[i * dimension + j]) - mean[j]
                within += diff * diff
            }
        }
        if within == 0 { return between == 0 ? 0 : .infinity }
        return between / within
    }
}
