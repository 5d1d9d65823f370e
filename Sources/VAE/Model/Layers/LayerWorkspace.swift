/// Scratch memory for a convolution layer's training passes, made once and reused every step so that
/// the training loop allocates nothing: `threads` slots of `floatsPerThread` floats, one per thread
/// the passes are spread over. The slots keep nothing from the forward pass to the backward pass, and
/// any batch size fits, so layers may share one workspace whose slots are big enough for each of them
/// (`scratchPerThread`); what a layer's forward pass keeps for its backward (`keptUnfolding`) lives
/// beside them, by layer. Not thread-safe by itself: one pass at a time.
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

    /// The unfolded inputs that layers' forward passes keep for their backward passes, by layer, each
    /// with the input it was made from (`keptUnfolding(for:input:rows:floats:)`).
    private var kept: [ObjectIdentifier: KeptUnfolding] = [:]

    /// One layer's kept unfolding: its floats (nil until a forward pass keeps one), the input matrix's
    /// storage and rows it was made from (nil: nothing valid is kept), and whether a backward pass came
    /// after the layer's last forward pass.
    private final class KeptUnfolding {
        var floats: Matrix?
        var input: UnsafePointer<Float>?
        var rows = 0
        var followedByBackward = false
    }

    /// The most floats kept for one layer (32 MB; the conv VAE's conv2 keeps 56 KB an image, 7.2 MB for a
    /// training batch of 128 images): a larger batch unfolds again in its backward pass.
    static let keptUnfoldingLimit = 8 << 20

    deinit { storage.deallocate() }

    /// Where `layer`'s forward pass over `input` (its storage and `rows`) keeps `floats` floats of its
    /// unfolded input for the backward pass, or nil when it keeps nothing: when that is more than
    /// `keptUnfoldingLimit`, and when no backward pass came after the layer's last forward pass (its
    /// first, and those of a workspace that only evaluates: a forward pass alone gains nothing from
    /// keeping, and would only fill memory). Made on first use and again only for more floats than before.
    func keptUnfolding(for layer: AnyObject, input: UnsafePointer<Float>, rows: Int, floats: Int) -> UnsafeMutablePointer<Float>? {
        let key = ObjectIdentifier(layer)
        let entry = kept[key] ?? KeptUnfolding()
        kept[key] = entry
        defer { entry.followedByBackward = false }
        guard entry.followedByBackward, floats > 0, floats <= Self.keptUnfoldingLimit else {
            entry.input = nil
            return nil
        }
        if (entry.floats?.columns ?? 0) < floats { entry.floats = Matrix(rows: 1, columns: floats) }
        (entry.input, entry.rows) = (input, rows)
        return entry.floats?.storage
    }

    /// What `layer`'s last forward pass kept for `input` of `rows` rows, or nil when it kept nothing for
    /// that input; marks the layer's forward pass as followed by a backward pass.
    func keptUnfolding(of layer: AnyObject, input: UnsafePointer<Float>, rows: Int) -> UnsafePointer<Float>? {
        guard let entry = kept[ObjectIdentifier(layer)] else { return nil }
        entry.followedByBackward = true
        guard entry.input == input, entry.rows == rows, let floats = entry.floats else { return nil }
        return UnsafePointer(floats.storage)
    }

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
