/// Scratch memory a layer uses during one training forward and backward pass, made once for a batch
/// capacity and reused every step so that the training loop allocates nothing.
///
/// What a layer keeps in it between `forward` and `backward` (e.g. a convolution's unfolded input) must
/// survive until that backward: give each layer its own workspace, from `makeWorkspace(batchCapacity:)`.
/// Not thread-safe by itself, like `Matrix`.
public final class LayerWorkspace: @unchecked Sendable {
    /// Images (rows) a pass may hold.
    public let batchCapacity: Int
    /// Floats in `storage`.
    public let count: Int
    /// 64-byte aligned, zero-initialised.
    public let storage: UnsafeMutablePointer<Float>

    public init(batchCapacity: Int, count: Int) {
        precondition(batchCapacity >= 0 && count >= 0)
        self.batchCapacity = batchCapacity
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
        storage = raw.bindMemory(to: Float.self, capacity: max(1, count))
        storage.initialize(repeating: 0, count: max(1, count))
    }

    deinit { storage.deallocate() }
}
