/// The buffers of a dense layer's sparse-input passes (`DenseSparseInputs.swift`), owned by a batch
/// pass's `LayerWorkspace` and shared by its layers (none keeps anything here from its forward pass to
/// its backward pass). Allocated on first use and grown when a pass needs more, so a training loop of
/// one batch size allocates only in its first step. Not thread-safe by itself: one pass at a time, its
/// threads each writing their own pairs and panels.
public final class SparseInputsScratch {
    /// A [in, out] matrix in panels: W^T for the forward pass, dL/dW^T in the backward pass.
    private(set) var weightPanels = Buffer<Float>()
    /// dL/d(pre-activation) [B, out] in panels, the backward pass's right-hand side.
    private(set) var gradientPanels = Buffer<Float>()
    /// x by pairs of rows (forward) or of columns (backward), as `lx_sparse_compress_pairs` writes
    /// them: a count and a cursor a pair, room for every place of every pair (indices), two values each.
    private var counts = Buffer<Int32>(), cursors = Buffer<Int32>()
    private var indices = Buffer<Int32>(), values = Buffer<Float>()

    public init() {}

    /// Room for a layer of `inputs` x `outputs` on a batch of `rows`: its input by pairs of rows or of
    /// columns, at most (rows + 1) * (inputs + 1) places either way.
    func reserve(rows: Int, inputs: Int, outputs: Int) {
        let pairs = (max(rows, inputs) + 1) / 2, places = (rows + 1) * (inputs + 1)
        weightPanels.reserve(inputs * outputs)
        gradientPanels.reserve(rows * outputs)
        counts.reserve(pairs)
        cursors.reserve(pairs)
        indices.reserve(places)
        values.reserve(2 * places)
    }

    /// The compressed pairs' counts, indices, values and the product's cursor.
    var pairs: (counts: UnsafeMutablePointer<Int32>, indices: UnsafeMutablePointer<Int32>,
                values: UnsafeMutablePointer<Float>, cursor: UnsafeMutablePointer<Int32>) {
        (counts.storage, indices.storage, values.storage, cursors.storage)
    }

    /// A growable array of `Element` whose old contents need not survive growing.
    struct Buffer<Element> {
        private(set) var storage = UnsafeMutablePointer<Element>.allocate(capacity: 0)
        private(set) var capacity = 0

        mutating func reserve(_ count: Int) {
            guard count > capacity else { return }
            storage.deallocate()
            storage = .allocate(capacity: count)
            capacity = count
        }
    }

    deinit {
        weightPanels.storage.deallocate()
        gradientPanels.storage.deallocate()
        counts.storage.deallocate()
        cursors.storage.deallocate()
        indices.storage.deallocate()
        values.storage.deallocate()
    }
}
