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

    /// One layer's kept unfolding: its floats, and the input matrix's storage and rows it was made from
    /// (nil: nothing valid is kept).
    private final class KeptUnfolding {
        let floats: Matrix
        var input: UnsafePointer<Float>?
        var rows = 0
        init(floats: Int) { self.floats = Matrix(rows: 1, columns: floats) }
    }

    /// The most floats kept for one layer (32 MB): a training batch's unfolded input (the conv VAE's
    /// conv2 keeps 56 KB an image, 7.2 MB for 128 images); a larger batch (an evaluation's) unfolds again
    /// in its backward pass, if it has one.
    static let keptUnfoldingLimit = 8 << 20

    deinit { storage.deallocate() }

    /// Where `layer`'s forward pass over `input` (its storage and `rows`) keeps `floats` floats of its
    /// unfolded input for the backward pass, or nil when that is more than `keptUnfoldingLimit` (then
    /// nothing is kept for the layer). Made on the first use and again only for more floats than before.
    func keptUnfolding(for layer: AnyObject, input: UnsafePointer<Float>, rows: Int, floats: Int) -> UnsafeMutablePointer<Float>? {
        let key = ObjectIdentifier(layer)
        guard floats > 0, floats <= Self.keptUnfoldingLimit else {
            kept[key]?.input = nil
            return nil
        }
        let entry: KeptUnfolding
        if let existing = kept[key], existing.floats.columns >= floats {
            entry = existing
        } else {
            entry = KeptUnfolding(floats: floats)
            kept[key] = entry
        }
        (entry.input, entry.rows) = (input, rows)
        return entry.floats.storage
    }

    /// What `layer`'s last forward pass kept for `input` of `rows` rows, or nil when it kept nothing for
    /// that input.
    func keptUnfolding(of layer: AnyObject, input: UnsafePointer<Float>, rows: Int) -> UnsafePointer<Float>? {
        guard let entry = kept[ObjectIdentifier(layer)], entry.input == input, entry.rows == rows else { return nil }
        return UnsafePointer(entry.floats.storage)
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
