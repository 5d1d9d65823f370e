import Support

/// A fixed division of a real data set's test split into three parts, the same on every machine:
///
/// - **held out**: never trained on, never used to choose a model; the letters a model is scored on.
/// - **validation**: not trained on; early stopping may watch its loss.
/// - **rest**: may be trained on (`--train-on-real-test`).
///
/// It is stratified: each class is divided on its own, after a shuffle seeded by (`seed`, label), so
/// every class with test images has at least one held out (a class with one test image has it held
/// out), and the division of a class does not depend on the other classes or on the file's order of classes.
public struct TestPartition: Sendable, Equatable {
    /// A quarter of each class, rounded up, is held out.
    public static let heldOutFraction = 0.25
    /// A tenth of each class, rounded down, validates (from what is not held out).
    public static let validationFraction = 0.10
    public static let seed: UInt64 = 11_2025

    /// Indices into the test split, ascending.
    public let heldOut: [Int]
    public let validation: [Int]
    public let rest: [Int]

    public init(labels: [Int], heldOutFraction: Double = TestPartition.heldOutFraction,
                validationFraction: Double = TestPartition.validationFraction, seed: UInt64 = TestPartition.seed) {
        var byLabel: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { byLabel[label, default: []].append(index) }
        var heldOut: [Int] = [], validation: [Int] = [], rest: [Int] = []
        for (label, indices) in byLabel {
            var generator = SeededGenerator(seed: seed, stream: label)
            // Fisher-Yates written out, so the partition cannot change with the standard library's shuffle.
            var shuffled = indices
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) {
                shuffled.swapAt(i, Int(generator.next() % UInt64(i + 1)))
            }
            let heldOutCount = Int((Double(indices.count) * heldOutFraction).rounded(.up))
            let validationCount = min(Int(Double(indices.count) * validationFraction), indices.count - heldOutCount)
            heldOut += shuffled[0 ..< heldOutCount]
            validation += shuffled[heldOutCount ..< heldOutCount + validationCount]
            rest += shuffled[(heldOutCount + validationCount)...]
        }
        self.heldOut = heldOut.sorted()
        self.validation = validation.sorted()
        self.rest = rest.sorted()
    }
}
