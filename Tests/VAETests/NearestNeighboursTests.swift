import XCTest
import CKernels
import Support
@testable import VAE

final class NearestNeighboursTests: XCTestCase {
    func testMajorityOfTheFiveNearest() {
        // Class 1 around (0, 0), class 2 around (10, 10).
        let codes: [Float] = [0, 0, 0.1, 0, 0, 0.1, -0.1, 0, 10, 10, 10.1, 10, 10, 9.9]
        let labels = [1, 1, 1, 1, 2, 2, 2]
        let knn = NearestNeighbours(codes: codes, labels: labels, dimension: 2)
        XCTAssertEqual(knn.classify([0.2, 0.2], k: 5), 1)   // 4 of class 1, 1 of class 2
        XCTAssertEqual(knn.classify([9, 9], k: 3), 2)
        XCTAssertEqual(knn.accuracy(queries: [0, 0, 10, 10, 9, 9], expected: [1, 2, 1], k: 3), 2.0 / 3.0, accuracy: 1e-12)
    }

    /// `predictions` (the vectorised `lx_nearest_codes`) votes exactly as `classify` does, one query at
    /// a time: codes on a coarse grid make many distances tie, which both must break the same way (the
    /// earlier reference wins), and a NaN code is never a neighbour.
    func testBatchedPredictionsAreTheOneByOneVotes() {
        var generator = SeededGenerator(seed: 31)
        for (dimension, k) in [(1, 1), (2, 5), (3, 7), (16, 5), (2, 40)] {
            let count = 300, queryCount = 97
            var codes = (0 ..< count * dimension).map { _ in Float(Int(generator.nextUniform() * 6)) / 2 }
            codes[5 * dimension] = .nan
            let labels = (0 ..< count).map { _ in Int(generator.nextUniform() * 4) }
            let queries = (0 ..< queryCount * dimension).map { _ in Float(Int(generator.nextUniform() * 12)) / 4 }
            let knn = NearestNeighbours(codes: codes, labels: labels, dimension: dimension)
            let oneByOne = (0 ..< queryCount).map { knn.classify(Array(queries[$0 * dimension ..< ($0 + 1) * dimension]), k: k)! }
            XCTAssertEqual(knn.predictions(queries: queries, k: k), oneByOne, "dimension \(dimension), k \(k)")
        }
        let few = NearestNeighbours(codes: [0, 1], labels: [3, 4], dimension: 1)
        XCTAssertEqual(few.predictions(queries: [0.9], k: 5), [few.classify([0.9], k: 5)!], "k above the references")
    }

    /// The k nearest by (exact distance, index), the distance summed in order in Float: what
    /// `lx_nearest_codes` must choose, whatever way it finds them.
    private func exactNearest(_ codes: [Float], _ query: ArraySlice<Float>, dimension: Int, k: Int) -> [Int32] {
        let q = Array(query)
        var scored: [(Float, Int)] = []
        for i in 0 ..< codes.count / dimension {
            var d: Float = 0
            for j in 0 ..< dimension {
                let diff = codes[i * dimension + j] - q[j]
                d += diff * diff
            }
            if !d.isNaN && d != .infinity { scored.append((d, i)) }
        }
        scored.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        let chosen = scored.prefix(k).map { Int32($0.1) }
        return chosen + [Int32](repeating: -1, count: k - chosen.count)
    }

    private func kernelNearest(_ codes: [Float], _ queries: [Float], dimension: Int, k: Int) -> [Int32] {
        let count = codes.count / dimension, queryCount = queries.count / dimension
        var transposed = [Float](repeating: 0, count: codes.count)
        for i in 0 ..< count { for j in 0 ..< dimension { transposed[j * count + i] = codes[i * dimension + j] } }
        var scratch = [Float](repeating: 0, count: lx_nearest_codes_scratch(count, k))
        var nearest = [Int32](repeating: 7, count: queryCount * k)
        lx_nearest_codes(transposed, count, dimension, queries, queryCount, k, &scratch, &nearest)
        return nearest
    }

    /// `lx_nearest_codes` ranks by a cheaper bound and computes exact distances only for what the
    /// bound cannot rule out: it must choose the exact scan's indices, ties included. Codes on a
    /// coarse grid (many exact ties), a few continuous ones, or all continuous far from the origin
    /// (|r|^2 - 2 q.r then cancels most of its digits: its rounding is as large as the gaps between
    /// neighbours, so the bound on it must be right), a NaN and an infinite code; 1,007 references (a tail after the
    /// 16-wide tiles), 45 queries (a block of 32, then 13: a short group of four), dimensions 1 to 17, k 1 to 40.
    func testTheKernelChoosesTheExactScansIndices() {
        var generator = SeededGenerator(seed: 36)
        for dimension in [1, 2, 3, 16, 17] {
            for (k, offset, continuous) in [(1, Float(0), false), (5, 100, false), (40, 3, false), (5, 1_000, true)] {
                let count = 1_007, queryCount = 45
                var codes = (0 ..< count * dimension).map { _ in
                    offset + (continuous ? generator.nextUniform() * 2 : Float(Int(generator.nextUniform() * 8)) / 4)
                }
                for i in stride(from: 3, to: count, by: 50) {
                    for j in 0 ..< dimension { codes[i * dimension + j] = offset + generator.nextUniform() * 2 }
                }
                codes[5 * dimension] = .nan
                codes[9 * dimension] = .infinity
                let queries = (0 ..< queryCount * dimension).map { _ in offset + Float(Int(generator.nextUniform() * 16)) / 8 }
                let found = kernelNearest(codes, queries, dimension: dimension, k: k)
                for q in 0 ..< queryCount {
                    XCTAssertEqual(Array(found[q * k ..< (q + 1) * k]),
                                   exactNearest(codes, queries[q * dimension ..< (q + 1) * dimension], dimension: dimension, k: k),
                                   "dimension \(dimension), k \(k), offset \(offset), continuous \(continuous), query \(q)")
                }
            }
        }
    }

    /// The exact scan's edges: a NaN query (no neighbour: every slot -1), a reference of a huge norm
    /// (every query scanned exactly), fewer references than a tile, and more neighbours asked than
    /// codes of finite distance.
    func testTheKernelsEdgesMatchTheExactScan() {
        var generator = SeededGenerator(seed: 37)
        let dimension = 4
        var codes = (0 ..< 200 * dimension).map { _ in generator.nextUniform() }
        var queries = (0 ..< 6 * dimension).map { _ in generator.nextUniform() }
        queries[dimension] = .nan
        func check(_ codes: [Float], k: Int, _ what: String) {
            let found = kernelNearest(codes, queries, dimension: dimension, k: k)
            for q in 0 ..< 6 {
                XCTAssertEqual(Array(found[q * k ..< (q + 1) * k]),
                               exactNearest(codes, queries[q * dimension ..< (q + 1) * dimension], dimension: dimension, k: k), what)
            }
        }
        check(codes, k: 5, "plain")
        XCTAssertEqual(kernelNearest(codes, queries, dimension: dimension, k: 3)[3 ..< 6], [-1, -1, -1], "a NaN query")
        check(Array(codes[0 ..< 9 * dimension]), k: 3, "fewer references than a tile")
        codes[7 * dimension] = 1e20
        check(codes, k: 5, "a huge reference")
        let mostlyNaN = codes.enumerated().map { $0.offset < 190 * dimension ? Float.nan : $0.element }
        check(mostlyNaN, k: 20, "fewer finite codes than k")
    }

    /// Two dimensions take the grid search: it must choose the exact scan's indices too. Codes on a
    /// lattice whose spacing is the grid's cells' (so points lie on cell edges and distances tie),
    /// duplicates, a cluster far from the rest, one line (a grid one cell high), all codes equal, NaN and
    /// infinite codes (never chosen), queries outside the codes' box, on lattice points and NaN, and a
    /// code too large for the grid (the scans then).
    func testTheGridSearchInTwoDimensionsMatchesTheExactScan() {
        var generator = SeededGenerator(seed: 38)
        var lattice = [Float]()
        for i in 0 ..< 400 { lattice += [Float(i % 20) * 0.25, Float(i / 20) * 0.25] }
        let far: [Float] = [100, 100, 100, 100.5]
        let duplicated: [Float] = lattice + Array(lattice.prefix(200)) + far
        var line = [Float]()
        for i in 0 ..< 300 { line += [Float(i) * 0.1, 7] }
        let same = [Float](repeating: 3, count: 2 * 50)
        var withNaN = (0 ..< 2 * 500).map { _ in generator.nextUniform() * 4 - 2 }
        withNaN[2 * 7] = .nan; withNaN[2 * 9 + 1] = .infinity; withNaN[2 * 11] = -.infinity
        var huge = withNaN
        huge[2 * 13] = 1e20
        let chosenQueries: [Float] = [0, 0, 2.5, 2.5, 1.125, 0.375, -30, 2, 200, -50, 100, 100, 4.75, 4.75, .nan, 1, 0.3, 7,
                                      2.0, 1.999, -1e6, 1e6]
        let randomQueries: [Float] = (0 ..< 2 * 40).map { _ in generator.nextUniform() * 6 - 1 }
        let queries = chosenQueries + randomQueries
        let cases: [(String, [Float])] = [("lattice", lattice), ("duplicates", duplicated), ("a line", line), ("all equal", same),
                                          ("NaN and infinite codes", withNaN), ("a huge code", huge)]
        for (name, codes) in cases {
            for k in [1, 5, 12] {
                let found = kernelNearest(codes, queries, dimension: 2, k: k)
                for q in 0 ..< queries.count / 2 {
                    XCTAssertEqual(Array(found[q * k ..< (q + 1) * k]), exactNearest(codes, queries[2 * q ..< 2 * q + 2], dimension: 2, k: k),
                                   "\(name), k \(k), query \(q) at \(queries[2 * q]), \(queries[2 * q + 1])")
                }
            }
        }
    }
}
