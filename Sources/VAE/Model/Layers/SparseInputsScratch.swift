/// The buffers of a dense layer's sparse-input passes (`DenseSparseInputs.swift`), owned by a batch
/// pass's `LayerWorkspace` and shared by its layers (none keeps anything here from its forward pass to
/// its backward pass). Allocated on first use and grown when a pass needs more, so a training loop of
/// one batch size allocates only in its first step. Not thread-safe by itself: one pass at a time, each
/// thread of it in its own slot.
public final class SparseInputsScratch {
    /// A [in, out] matrix in panels: W^T for the forward pass, dL/dW^T in the backward pass.
    private(set) var weightPanels = Buffer<Float>()
    /// dL/d(pre-activation) [B, out] in panels, the backward pass's right-hand side.
    private(set) var gradientPanels = Buffer<Float>()
    /// Per thread: a sparse matrix's offsets and cursor (`offsetsPerThread` words each), its entries'
    /// indices and values (`entriesPerThread` each), and as many again for the entries by row on the way
    /// to the entries by column.
    private(set) var offsets = Buffer<Int32>(), cursors = Buffer<Int32>()
    private(set) var indices = Buffer<Int32>(), values = Buffer<Float>()
    private(set) var rowIndices = Buffer<Int32>(), rowValues = Buffer<Float>()
    private(set) var offsetsPerThread = 0, entriesPerThread = 0

    public init() {}

    /// Room for a layer of `inputs` x `outputs` on a batch of `rows` split over `threads`: each thread's
    /// sparse matrix holds at most a whole batch's input (its rows of it, or its columns of it).
    func reserve(rows: Int, inputs: Int, outputs: Int, threads: Int) {
        offsetsPerThread = max(offsetsPerThread, max(rows, inputs) + 2)
        entriesPerThread = max(entriesPerThread, rows * inputs)
        weightPanels.reserve(inputs * outputs)
        gradientPanels.reserve(rows * outputs)
        offsets.reserve(threads * offsetsPerThread)
        cursors.reserve(threads * offsetsPerThread)
        indices.reserve(threads * entriesPerThread)
        values.reserve(threads * entriesPerThread)
        rowIndices.reserve(threads * entriesPerThread)
        rowValues.reserve(threads * entriesPerThread)
    }

    /// Thread `slot`'s sparse matrix: offsets, entry indices and values, and a cursor for the product.
    func sparseMatrix(_ slot: Int) -> (offsets: UnsafeMutablePointer<Int32>, indices: UnsafeMutablePointer<Int32>,
                                       values: UnsafeMutablePointer<Float>, cursor: UnsafeMutablePointer<Int32>) {
        (offsets.storage + slot * offsetsPerThread, indices.storage + slot * entriesPerThread,
         values.storage + slot * entriesPerThread, cursors.storage + slot * offsetsPerThread)
    }

    /// Thread `slot`'s entries by row, the scratch of compressing by column.
    func rowEntries(_ slot: Int) -> (indices: UnsafeMutablePointer<Int32>, values: UnsafeMutablePointer<Float>) {
        (rowIndices.storage + slot * entriesPerThread, rowValues.storage + slot * entriesPerThread)
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
        offsets.storage.deallocate()
        cursors.storage.deallocate()
        indices.storage.deallocate()
        values.storage.deallocate()
        rowIndices.storage.deallocate()
        rowValues.storage.deallocate()
    }
}
