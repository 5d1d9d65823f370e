import Foundation
import Synchronization

/// Splits work over the machine's cores in contiguous chunks.
public enum Parallel {
    /// Calls `body` on `chunks` contiguous ranges covering `0 ..< count`, concurrently, and returns
    /// the results in range order. The split depends only on `count` and `chunks`, so results that
    /// depend on it (e.g. per-chunk random seeds) do not depend on the number of cores.
    public static func mapChunks<T: Sendable>(count: Int, chunks requested: Int? = nil,
                                              _ body: @Sendable (Range<Int>) -> T) -> [T] {
        guard count > 0 else { return [] }
        let chunks = max(1, min(count, requested ?? ProcessInfo.processInfo.activeProcessorCount * 4))
        let size = (count + chunks - 1) / chunks
        // One slot per chunk, each written by exactly one thread and read after all have finished.
        let results = Mutex<[T?]>(Array(repeating: nil, count: chunks))
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = min(chunk * size, count) ..< min((chunk + 1) * size, count)
            let value = body(range)
            results.withLock { $0[chunk] = value }
        }
        return results.withLock { $0.compactMap { $0 } }
    }
}
