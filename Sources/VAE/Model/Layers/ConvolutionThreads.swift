/// How the convolution layers spread a training pass over threads: each thread takes a contiguous run
/// of the batch's images and works through it `imagesPerChunk` images at a time, so that a chunk's
/// unfolded input (at most 1.1 MB in the conv VAE) is still in cache when it is multiplied, instead of
/// a whole batch's (7.2 MB for 128 images) going out to memory and back. Where L2 is smaller than the
/// chunk (512 KB a core on Zen 3, where conv2's 903 KB of columns spill to L3), it is L3 that keeps it.
enum ConvolutionThreads {
    /// A chunk of 7x7 or 14x14 planes then spans a multiple of 16 positions: whole vectors for the kernels.
    static let imagesPerChunk = 16

    /// Calls `body(slot, images)` on up to `threads` threads of `pool` at once, slot numbering
    /// the threads and `images` their parts of `0 ..< batch` (contiguous, in order; fewer threads when
    /// the batch is smaller). Returns how many slots ran. The split depends only on `batch` and
    /// `threads`, so results summed over slots are the same from run to run.
    @discardableResult
    static func run(batch: Int, threads: Int, pool: ComputePool,
                    _ body: (_ slot: Int, _ images: Range<Int>) -> Void) -> Int {
        let parts = max(1, min(threads, batch, pool.threadCount))
        pool.forEachPart(of: batch, parts: parts, body)
        return parts
    }

    /// Calls `body(first, count)` for each chunk of at most `imagesPerChunk` images of `images`.
    static func forEachChunk(of images: Range<Int>, _ body: (_ first: Int, _ count: Int) -> Void) {
        var first = images.lowerBound
        while first < images.upperBound {
            let count = min(imagesPerChunk, images.upperBound - first)
            body(first, count)
            first += count
        }
    }

    /// `target[i] = Σ over slots of parts[slot * stride + i]` for `i < count`: the per-thread gradients, summed.
    static func sum(_ parts: (Int) -> UnsafeMutablePointer<Float>, slots: Int, count: Int,
                    into target: UnsafeMutablePointer<Float>) {
        target.update(from: parts(0), count: count)
        for slot in 1 ..< max(slots, 1) {
            let part = parts(slot)
            for i in 0 ..< count { target[i] += part[i] }
        }
    }
}
