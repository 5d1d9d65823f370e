/// Where the explorer starts: a clear example of a class. Classes are taken from the tightest cluster
/// of test codes (smallest mean distance to their mean) outwards, and within a class the letters from
/// the one nearest the mean outwards; the first letter whose nearest reference codes all vote for its
/// own class is chosen (so the side pane's verdict agrees with the letter shown), else the letter
/// nearest the mean of the tightest class.
enum TightestClass {
    /// A class needs this many test letters for its spread to mean anything.
    static let minimumLetters = 3
    /// Letters of a class tried for a unanimous vote, nearest the mean first.
    static let candidatesPerClass = 64

    /// (catalog entry, test index) of the starting letter; nil without a class of `minimumLetters` letters.
    static func find(catalog: ClassCatalog, view: ModelView) -> (ClassCatalog.Entry, Int)? {
        var classes: [(spread: Float, entry: ClassCatalog.Entry, byDistance: [Int])] = []
        for entry in catalog.entries where entry.testIndices.count >= minimumLetters {
            let distances = distancesToMean(entry.testIndices, view: view)
            let spread = distances.reduce(0, +) / Float(distances.count)
            guard spread.isFinite else { continue }
            let order = entry.testIndices.indices.sorted { distances[$0] < distances[$1] }.map { entry.testIndices[$0] }
            classes.append((spread, entry, order))
        }
        classes.sort { $0.spread < $1.spread }
        for candidate in classes {
            for index in candidate.byDistance.prefix(candidatesPerClass) {
                if let vote = view.classVote(view.testCode(index)), vote.label == candidate.entry.label, vote.votes == vote.of {
                    return (candidate.entry, index)
                }
            }
        }
        return classes.first.flatMap { first in first.byDistance.first.map { (first.entry, $0) } }
    }

    /// Each letter's distance from the mean code of `indices`.
    private static func distancesToMean(_ indices: [Int], view: ModelView) -> [Float] {
        var mean = [Float](repeating: 0, count: view.latentDim)
        for index in indices {
            for (j, value) in view.testCode(index).enumerated() { mean[j] += value }
        }
        for j in mean.indices { mean[j] /= Float(indices.count) }
        return indices.map { index in
            var squared: Float = 0
            for (j, value) in view.testCode(index).enumerated() { squared += (value - mean[j]) * (value - mean[j]) }
            return squared.squareRoot()
        }
    }
}
