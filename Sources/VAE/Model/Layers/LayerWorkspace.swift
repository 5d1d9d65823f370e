/// Scratch memory for a convolution layer's training passes, made once and reused every step so that
/// the training loop allocates nothing: `threads` slots of `floatsPerThread` floats, one per thread
/// the passes are spread over. Nothing is kept in it from the forward pass to the backward pass, and
/// any batch size fits, so layers may share one workspace whose slots are big enough for each of them
/// (`scratchPerThread`). Not thread-safe by itself: one pass at a time.
public final class LayerWorkspace {
    /// Threads a pass is spread over.
    public let threads: Int
    /// Floats in each thread's slot (rounded up to whole 64-byte lines).
    public let floatsPerThread: Int
    /// `threads * floatsPerThread` floats, 64-byte aligned.
    public let storage: UnsafeMutablePointer<Float>

    public init(threads: Int, floatsPerThread: Int) {
        precondition(threads > 0 && floatsPerThread >= 0)
        self.threads = threads
        self.floatsPerThread = (floatsPerThread + 15) / 16 * 16
        let count = max(1, threads * self.floatsPerThread)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64)
        storage = raw.bindMemory(to: Float.self, capacity: count)
        storage.initialize(repeating: 0, count: count)
    }

    /// The chunks' gradient sums of a backward pass (`ConvolutionThreads.backward`), whose count grows
    /// with the batch: made on the first backward pass and made again only for a larger batch than
    /// any before, so that the training loop allocates nothing after its first step.
    private var sums: Matrix?

    deinit { storage.deallocate() }

    /// At least `floats` floats for the chunks' gradient sums (contents undefined: each chunk overwrites its own).
    func chunkSums(floats: Int) -> UnsafeMutablePointer<Float> {
        if let sums, sums.columns >= floats { return sums.storage }
        let made = Matrix(rows: 1, columns: max(1, floats))
        sums = made
        return made.storage
    }

    /// The scratch of thread `slot`.
    func slot(_ slot: Int) -> UnsafeMutablePointer<Float> { storage + slot * floatsPerThread }
}
