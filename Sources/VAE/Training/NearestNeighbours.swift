import CKernels
import Foundation
import Support

/// A k-nearest-neighbour classifier over latent codes (Euclidean distance, majority vote; ties go to
/// the class of the nearest neighbour among those tied). Used to score how well the latent space
/// separates classes, and by the explorer to name the class nearest the cursor.
public struct NearestNeighbours: Sendable {
    /// The neighbours that vote, unless told otherwise: the k of the scores `eval` reports (as the
    /// reference's 5-NN) and of the explorer's nearest class.
    public static let defaultK = 5

    public let dimension: Int
    /// `[count, dimension]` row-major reference codes.
    public let codes: [Float]
    public let labels: [Int]

    public init(codes: [Float], labels: [Int], dimension: Int) {
        precondition(codes.count == labels.count * dimension, "one code per label")
        self.codes = codes
        self.labels = labels
        self.dimension = dimension
    }

    /// The majority label among the `k` reference codes nearest `query`.
    public func classify(_ query: UnsafeBufferPointer<Float>, k: Int = NearestNeighbours.defaultK) -> Int? {
        vote(query, k: k)?.label
    }

    /// The majority label among the `k` reference codes nearest `query`, with how many of them voted for
    /// it and how many voted (`k`, or fewer references): the vote as a confidence, e.g. 4 of 5.
    public func vote(_ query: UnsafeBufferPointer<Float>, k: Int = NearestNeighbours.defaultK) -> (label: Int, votes: Int, of: Int)? {
        guard !labels.isEmpty, k >= 1 else { return nil }
        let k = min(k, labels.count)
        // The k best so far, sorted by distance: k is small, so insertion beats a heap.
        var bestDistances = [Float](repeating: .infinity, count: k)
        var bestLabels = [Int](repeating: 0, count: k)
        codes.withUnsafeBufferPointer { reference in
            for i in 0 ..< labels.count {
                var d: Float = 0
                for j in 0 ..< dimension {
                    let diff = reference[i * dimension + j] - query[j]
                    d += diff * diff
                }
                guard d < bestDistances[k - 1] else { continue }
                var slot = k - 1
                while slot > 0 && bestDistances[slot - 1] > d {
                    bestDistances[slot] = bestDistances[slot - 1]
                    bestLabels[slot] = bestLabels[slot - 1]
                    slot -= 1
                }
                bestDistances[slot] = d
                bestLabels[slot] = labels[i]
            }
        }
        return Self.majority(bestLabels).map { ($0.label, $0.votes, k) }
    }

    /// The label most of `bestLabels` (nearest first) carry, ties to the nearest, and its votes.
    private static func majority(_ bestLabels: [Int]) -> (label: Int, votes: Int)? {
        var votes: [Int: Int] = [:]
        for label in bestLabels { votes[label, default: 0] += 1 }
        let top = votes.values.max() ?? 0
        return bestLabels.first { votes[$0] == top }.map { ($0, top) }
    }

    public func vote(_ query: [Float], k: Int = NearestNeighbours.defaultK) -> (label: Int, votes: Int, of: Int)? {
        query.withUnsafeBufferPointer { vote($0, k: k) }
    }

    public func classify(_ query: [Float], k: Int = NearestNeighbours.defaultK) -> Int? {
        query.withUnsafeBufferPointer { classify($0, k: k) }
    }

    /// The predicted label of each of `queries` (`[count, dimension]`), on all cores; empty when there
    /// are no reference codes. The same votes as `classify`, found by `lx_nearest_codes`, which
    /// streams the references dimension-major, several at a vector step, and computes `vote`'s exact
    /// distance only for the references a cheaper bound cannot rule out (compare's k-NN: 14,800
    /// queries against 88,800 references).
    public func predictions(queries: [Float], k: Int = NearestNeighbours.defaultK) -> [Int] {
        guard !labels.isEmpty, k >= 1, dimension > 0 else { return [] }
        let count = queries.count / dimension, references = labels.count, k = min(k, references)
        var transposed = [Float](repeating: 0, count: codes.count)
        for i in 0 ..< references {
            for j in 0 ..< dimension { transposed[j * references + i] = codes[i * dimension + j] }
        }
        return Parallel.mapChunks(count: count) { [transposed] range in
            var scratch = [Float](repeating: 0, count: lx_nearest_codes_scratch(references, k))
            var nearest = [Int32](repeating: -1, count: range.count * k)
            queries.withUnsafeBufferPointer { q in
                lx_nearest_codes(transposed, references, dimension, q.baseAddress! + range.lowerBound * dimension,
                                 range.count, k, &scratch, &nearest)
            }
            // A slot no finite distance filled votes for label 0, as `vote`'s does.
            return (0 ..< range.count).map { row in
                Self.majority(nearest[row * k ..< (row + 1) * k].map { $0 >= 0 ? labels[Int($0)] : 0 })!.label
            }
        }.flatMap { $0 }
    }

    /// Fraction of `queries` (`[count, dimension]`) whose predicted label equals `expected`, on all cores.
    public func accuracy(queries: [Float], expected: [Int], k: Int = NearestNeighbours.defaultK) -> Double {
        guard !expected.isEmpty else { return 0 }
        let predicted = predictions(queries: queries, k: k)
        return Double(zip(predicted, expected).filter { $0 == $1 }.count) / Double(expected.count)
    }
}
