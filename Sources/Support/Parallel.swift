import Foundation

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
        let results = ResultSlots<T>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = min(chunk * size, count) ..< min((chunk + 1) * size, count)
            results.set(chunk, body(range))
        }
        return results.values
    }
}

/// One slot per chunk; each is written by exactly one thread, and read after all have finished.
/// @unchecked Sendable: every access to `slots` is under `lock`.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { lock.withLock { slots[index] = value } }
    var values: [T] { lock.withLock { slots.compactMap { $0 } } }
}
