import CKernels

/// How the convolution layers' training passes run on the machine's cores.
///
/// Matrix products go to OpenBLAS unless one dimension is thin (at most `thinDimension`): the conv
/// VAE's first convolution (K = 9) and last transposed convolution (R = 9) give products such as
/// [32 x 9] x [9 x 25088] or the [32 x 25088] x [25088 x 9] weight gradient, where sgemm ran at 10-60
/// GFLOPS (0.25-1.3 ms per 128-image batch, 2 threads, shared 2-core EPYC) and the register-blocked
/// C kernels take 0.14-0.18 ms on one core. Those kernels, im2col and col2im are split over
/// `BLAS.threadCount` threads (the cores the trainer gives OpenBLAS), by columns or by images.
enum TrainingKernels {
    /// A product is thin, and skips OpenBLAS, when its smallest dimension is at most this.
    static let thinDimension = 16
    /// Below this many multiply-adds a product stays on the calling thread.
    static let splitWork = 1 << 16

    /// `C[m x n] = op(A)[m x k] op(B)[k x n]` (row-major, C overwritten), as `BLAS.gemm` with beta 0.
    static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard min(m, n, k) <= thinDimension, m > 0, n > 0 else {
            BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                      a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: ldc)
            return
        }
        let (sa, sb, sc) = (Shared(a), Shared(b), Shared(c))
        if !transposeB {
            // Vectorised along n: each thread takes a band of columns of B and C.
            let (rowStride, columnStride) = transposeA ? (1, lda) : (lda, 1)
            split(count: n, work: m * n * k) { columns in
                lx_small_gemm(m, columns.count, k, sa.pointer, rowStride, columnStride,
                              sb.pointer + columns.lowerBound, ldb, nil, 0,
                              UnsafeMutablePointer(mutating: sc.pointer) + columns.lowerBound, ldc)
            }
        } else if !transposeA && lda == k && ldb == k && ldc == n {
            // A B^T with both operands' rows contiguous: dot products along k; each thread takes rows of A and C.
            split(count: m, work: m * n * k) { rows in
                lx_small_linear(sa.pointer + rows.lowerBound * k, sb.pointer, nil,
                                UnsafeMutablePointer(mutating: sc.pointer) + rows.lowerBound * n, rows.count, k, n, 0)
            }
        } else {
            BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                      a: a, lda: lda, b: b, ldb: ldb, beta: 0, c: c, ldc: ldc)
        }
    }

    /// `lx_im2col` over the batch, each thread unfolding a run of images into its columns.
    static func im2col(_ geometry: lx_conv_geometry, _ x: UnsafePointer<Float>, batch: Int,
                       into columns: UnsafeMutablePointer<Float>) {
        let imageSize = geometry.channels * geometry.in_side * geometry.in_side
        let plane = geometry.out_side * geometry.out_side
        let (sx, sc) = (Shared(x), Shared(UnsafePointer(columns)))
        split(count: batch, work: batch * plane * geometry.channels * geometry.kernel * geometry.kernel) { images in
            lx_im2col(geometry, sx.pointer + images.lowerBound * imageSize, images.count,
                      UnsafeMutablePointer(mutating: sc.pointer) + images.lowerBound * plane, batch * plane, 1)
        }
    }

    /// `lx_col2im` over the batch, each thread folding the columns of a run of images.
    static func col2im(_ geometry: lx_conv_geometry, _ columns: UnsafePointer<Float>, batch: Int,
                       into x: UnsafeMutablePointer<Float>, accumulate: Bool) {
        let imageSize = geometry.channels * geometry.in_side * geometry.in_side
        let plane = geometry.out_side * geometry.out_side
        let (sc, sx) = (Shared(columns), Shared(UnsafePointer(x)))
        split(count: batch, work: batch * plane * geometry.channels * geometry.kernel * geometry.kernel) { images in
            lx_col2im(geometry, sc.pointer + images.lowerBound * plane, batch * plane, 1, images.count,
                      UnsafeMutablePointer(mutating: sx.pointer) + images.lowerBound * imageSize, accumulate ? 1 : 0)
        }
    }

    /// Runs `body` on contiguous parts of `0 ..< count`, one per thread, or on all of it here when the
    /// work is small or there is one thread.
    private static func split(count: Int, work: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let threads = min(BLAS.threadCount, count)
        if threads <= 1 || work < splitWork {
            body(0 ..< count)
        } else {
            _ = Parallel.mapChunks(count: count, chunks: threads, body)
        }
    }
}

/// A pointer handed to worker threads that each touch their own part of the memory behind it.
private struct Shared: @unchecked Sendable {
    let pointer: UnsafePointer<Float>
    init(_ pointer: UnsafePointer<Float>) { self.pointer = pointer }
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = UnsafePointer(pointer) }
}
