import CKernels
import XCTest
@testable import VAE

final class SubnormalPolicyTests: XCTestCase {
    /// A product computed at run time (not folded by the compiler): 1e-20 · 1e-20 = 1e-40 is subnormal.
    @inline(never)
    private func product(_ values: [Float]) -> Float { values[0] * values[1] }
    private let tinyFactors: [Float] = [1e-20, 1e-20]

    override func setUpWithError() throws {
        #if !(arch(x86_64) || arch(arm64))
        throw XCTSkip("no switch for subnormals on this architecture")
        #endif
        try XCTSkipUnless(SubnormalPolicy.flushes, "\(SubnormalPolicy.variable)=keep is set")
    }

    /// Every index of a region, on the calling thread and on the workers, computes with subnormals
    /// flushed: the subnormal product is 0 there and not outside, and the calling thread gets its own
    /// mode back when the region ends.
    func testEveryIndexOfARegionFlushesAndTheCallerGetsItsModeBack() {
        XCTAssertEqual(lx_flushes_subnormals(), 0, "the test thread starts with subnormals kept")
        XCTAssertGreaterThan(product(tinyFactors), 0)
        for threads in 1 ... 3 {
            let pool = ComputePool(threadCount: threads)
            var flushed = [Int32](repeating: -1, count: threads)
            var products = [Float](repeating: -1, count: threads)
            flushed.withUnsafeMutableBufferPointer { flushed in
                products.withUnsafeMutableBufferPointer { products in
                    pool.run { index in
                        flushed[index] = lx_flushes_subnormals()
                        products[index] = product(tinyFactors)
                    }
                }
            }
            XCTAssertEqual(flushed, [Int32](repeating: 1, count: threads), "\(threads) threads")
            XCTAssertEqual(products, [Float](repeating: 0, count: threads), "\(threads) threads")
            XCTAssertEqual(lx_flushes_subnormals(), 0, "\(threads) threads: the caller's mode is restored")
            XCTAssertGreaterThan(product(tinyFactors), 0)
        }
    }

    /// The one-part shortcuts (`forEachIndex(1)`, `forEachPart` of one item), which call the body
    /// directly, flush too.
    func testOnePartShortcutsFlush() {
        let pool = ComputePool(threadCount: 2)
        var results: [Float] = []
        pool.forEachIndex(1) { _ in results.append(product(tinyFactors)) }
        pool.forEachPart(of: 1) { _, _ in results.append(product(tinyFactors)) }
        XCTAssertEqual(results, [0, 0])
        XCTAssertEqual(lx_flushes_subnormals(), 0)
    }

    /// Adam's pass, the one the assists slowed most: a second moment decaying through the subnormals
    /// reaches 0 instead of lingering there, and the weights move exactly as with the moment kept
    /// (the update divides by √v + ε, and ε = 1e-8 dwarfs any subnormal's root).
    func testAdamWithSubnormalMomentsUpdatesAsWithThemKept() {
        func run(flush: Bool) -> (value: [Float], moment: Float) {
            let p = Parameter(name: "w", shape: [40])
            p.value.assign((0 ..< 40).map { Float($0) * 0.01 })
            let adam = Adam(parameters: [p], learningRate: 0.01, pool: ComputePool(threadCount: 1))
            p.gradient.assign([Float](repeating: 1e-21, count: 40))   // g² = 1e-42, subnormal
            if flush { adam.update() } else {
                // The same pass outside the pool's regions, on this thread, whose subnormals are kept.
                adam.beginUpdate()
                adam.updateShare(0, of: 1)
            }
            return (p.value.values, adam.secondMoments[0].values[0])
        }
        let flushed = run(flush: true), kept = run(flush: false)
        XCTAssertEqual(flushed.moment, 0)
        XCTAssertGreaterThan(kept.moment, 0)
        XCTAssertEqual(flushed.value, kept.value)
    }
}
