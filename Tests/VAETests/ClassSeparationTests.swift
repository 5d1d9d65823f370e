import XCTest
@testable import Support
@testable import VAE

/// The silhouette and spread ratio on clouds small enough to work out by hand.
final class ClassSeparationTests: XCTestCase {
    /// Two classes of two points, a unit apart within a class and 4 apart across:
    ///
    ///     class 0: (0, 0), (0, 1)        class 1: (4, 0), (4, 1)
    ///
    /// For every point a = 1, b = (4 + √17) / 2, s = (b - a) / b = 0.75379...; the class means are
    /// (0, 0.5) and (4, 0.5), so between = 2·4 + 2·4 = 16, within = 4 · 0.25 = 1, ratio 16.
    func testTwoPairsByHand() {
        let codes: [Float] = [0, 0, 0, 1, 4, 0, 4, 1]
        let labels = [0, 0, 1, 1]
        let b = (4 + 17.0.squareRoot()) / 2
        XCTAssertEqual(ClassSeparation.silhouette(codes: codes, labels: labels, dimension: 2), (b - 1) / b, accuracy: 1e-6)
        XCTAssertEqual(ClassSeparation.spreadRatio(codes: codes, labels: labels, dimension: 2), 16, accuracy: 1e-9)
    }

    /// Interleaved classes score below zero; one class, or a singleton, scores 0; a far third class
    /// does not change a point's nearest other class.
    func testOverlapSingletonsAndTheNearestOtherClass() {
        // On a line: 0 at x = 0 and 2, 1 at x = 1 and 3. Point 0 (x=0): a = 2, b = (1 + 3)/2 = 2 -> 0.
        // Point x=2: a = 2, b = (1 + 1)/2 = 1 -> -0.5. Point x=1: a = 2, b = (1 + 1)/2 = 1 -> -0.5.
        // Point x=3: a = 2, b = (3 + 1)/2 = 2 -> 0. Mean -0.25.
        XCTAssertEqual(ClassSeparation.silhouette(codes: [0, 1, 2, 3], labels: [0, 1, 0, 1], dimension: 1), -0.25, accuracy: 1e-6)
        XCTAssertEqual(ClassSeparation.silhouette(codes: [0, 1, 2], labels: [5, 5, 5], dimension: 1), 0)
        // A singleton class 2 at x = 100: its own s is 0; for the others it is never the nearest class.
        let withFar = ClassSeparation.silhouette(codes: [0, 1, 2, 3, 100], labels: [0, 1, 0, 1, 2], dimension: 1)
        XCTAssertEqual(withFar, -1.0 / 5, accuracy: 1e-6)
        XCTAssertEqual(ClassSeparation.spreadRatio(codes: [1, 1, 1], labels: [0, 0, 0], dimension: 1), 0)
    }

    /// Crowding by hand: the two pairs each have their partner nearest (0); on the line 0 1 2 3 with
    /// alternating classes, k = 1 finds another class everywhere (1) and k = 2 gives (1/2 + 1 + 1 + 1/2) / 4.
    func testCrowdingCountsNeighboursOfAnotherClass() {
        XCTAssertEqual(ClassSeparation.crowding(codes: [0, 0, 0, 1, 4, 0, 4, 1], labels: [0, 0, 1, 1], dimension: 2, neighbours: 1), 0)
        XCTAssertEqual(ClassSeparation.crowding(codes: [0, 1, 2, 3], labels: [0, 1, 0, 1], dimension: 1, neighbours: 1), 1)
        XCTAssertEqual(ClassSeparation.crowding(codes: [0, 1, 2, 3], labels: [0, 1, 0, 1], dimension: 1, neighbours: 2), 0.75)
        XCTAssertEqual(ClassSeparation.crowding(codes: [7], labels: [0], dimension: 1), 0, "no neighbour")
        // Two long parallel strokes, 3 apart, codes 1 apart along each: no code has one of the other
        // stroke among its two nearest (crowding 0), yet the silhouette, which averages distances over
        // the whole class, calls them barely separated.
        var codes: [Float] = [], labels: [Int] = []
        for stroke in 0 ..< 2 { for i in 0 ..< 20 { codes += [Float(i), Float(stroke) * 3]; labels.append(stroke) } }
        XCTAssertEqual(ClassSeparation.crowding(codes: codes, labels: labels, dimension: 2, neighbours: 2), 0)
        XCTAssertLessThan(ClassSeparation.silhouette(codes: codes, labels: labels, dimension: 2), 0.2)
    }

    /// Above the sample limit the silhouette is taken on a stratified sample: close to the full value,
    /// and the same every time.
    func testTheSampleIsStratifiedAndReproducible() {
        var g = SeededGenerator(seed: 3)
        var codes: [Float] = [], labels: [Int] = []
        for i in 0 ..< 600 {
            let label = i % 3
            codes += [Float(label) * 2 + g.nextGaussian(), g.nextGaussian()]
            labels.append(label)
        }
        let full = ClassSeparation.silhouette(codes: codes, labels: labels, dimension: 2, sampleLimit: 1_000)
        let sampled = ClassSeparation.silhouette(codes: codes, labels: labels, dimension: 2, sampleLimit: 300)
        XCTAssertEqual(sampled, full, accuracy: 0.05)
        XCTAssertEqual(sampled, ClassSeparation.silhouette(codes: codes, labels: labels, dimension: 2, sampleLimit: 300))
    }

    /// The crowding's k nearest by insertion (`NearestPositions`) against the full sort by (distance,
    /// position) it replaced, on distances with many ties (small integers), k of 1, 10 and more than
    /// offered.
    func testNearestPositionsAreTheFullSortsFirstK() {
        var g = SeededGenerator(seed: 44)
        for k in [1, 3, 10, 40] {
            let distances = (0 ..< 30).map { _ in Float(g.next() % 6) }
            var nearest = ClassSeparation.NearestPositions(k: k)
            nearest.reset()
            for (position, d) in distances.enumerated() { nearest.offer(d, position) }
            let sorted = distances.enumerated().sorted { ($0.element, $0.offset) < ($1.element, $1.offset) }
            XCTAssertEqual(nearest.positions, sorted.prefix(k).map(\.offset), "k = \(k)")
            XCTAssertEqual(nearest.distances, sorted.prefix(k).map(\.element), "k = \(k)")
        }
        var withNaN = ClassSeparation.NearestPositions(k: 2)
        for (position, d) in [Float.nan, 3, .nan, 1].enumerated() { withNaN.offer(d, position) }
        XCTAssertEqual(withNaN.positions, [3, 1], "a NaN distance sorts last")
    }

    /// Duplicate codes (every distance to a copy is 0, ties everywhere): the crowding is what a full
    /// sort by (distance, position) gives, computed here by hand over the 12 codes.
    func testCrowdingWithDuplicateCodesBreaksTiesByPosition() {
        // Four points, each three times, labels alternating so that ties decide the count.
        let points: [Float] = [0, 0, 1, 0, 0, 1, 5, 5]
        var codes = [Float](), labels = [Int]()
        for copy in 0 ..< 3 { for p in 0 ..< 4 { codes += [points[2 * p], points[2 * p + 1]]; labels.append((p + copy) % 2) } }
        let k = 3
        var expected: Double = 0
        for a in labels.indices {
            let order = labels.indices.filter { $0 != a }.map { b -> (Float, Int) in
                let dx = codes[2 * a] - codes[2 * b], dy = codes[2 * a + 1] - codes[2 * b + 1]
                return (dx * dx + dy * dy, b)
            }.sorted { $0 < $1 }
            expected += Double(order.prefix(k).filter { labels[$0.1] != labels[a] }.count) / Double(k)
        }
        expected /= Double(labels.count)
        XCTAssertEqual(ClassSeparation.crowding(codes: codes, labels: labels, dimension: 2, neighbours: k), expected, accuracy: 1e-12)
    }
}
