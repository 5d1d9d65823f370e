import CKernels
import Foundation

/// A dense layer's training passes over only the nonzero entries of its input x `[B, in]`: the first
/// encoder layer reads letters that are mostly background (exact-zero pixels), and a layer after a ReLU
/// reads hidden units of which about half are exactly zero in each row. A zero input adds exact zeros
/// to the forward sums and to the weight gradient's, so those multiply-adds are left out:
///
///     y[r, :]    = activation(Σ_{k : x[r,k] ≠ 0} x[r,k] Wᵀ[k, :] + b)                 [B, out]
///     dWᵀ[k, :]  = Σ_{r : x[r,k] ≠ 0} x[r,k] dpre[r, :],   dW = (dWᵀ)ᵀ               [out, in]
///     db, dx     as `backward` (db a sum over rows; dx = dpre W, a dense product)
///
/// the same sums as the dense passes but for the dropped zero terms (equal up to float summation
/// order). Each product is `lx_sparse_times_dense`: a sparse matrix by rows (x's rows for the forward
/// pass, x's columns for the weight gradient) times a dense one in 64-column panels (Wᵀ, packed from W
/// once per forward pass; dpre). The threads split the output units by whole panels, so each pass is
/// one region of the pool, as the sgemm passes are. `forward(_:into:workspace:pool:)` takes this path when x is sparse
/// enough (`takesSparseInputs`) and plain sgemm otherwise.
extension Dense {
    /// Inputs denser than this go to sgemm: the sparse products do a multiply-add more slowly than
    /// OpenBLAS and pay for packing Wᵀ and compressing x, so above some density the skipped zeros no
    /// longer pay for that (docs/speed.md, "How the speed is reached").
    static let defaultSparseDensityLimit = 0.35
    /// `LATENT_EXPLORER_SPARSE_DENSITY` (a number in 0...1; 0 turns the sparse path off, 1 takes it for
    /// any input), else `defaultSparseDensityLimit`: how the two paths are compared on one build.
    public static let sparseDensityLimit: Double = {
        guard let text = ProcessInfo.processInfo.environment["LATENT_EXPLORER_SPARSE_DENSITY"], let limit = Double(text),
              (0 ... 1).contains(limit) else { return defaultSparseDensityLimit }
        return limit
    }()
    /// Fewer rows than this go to sgemm: packing Wᵀ costs about as much as a few rows' products.
    static let sparseMinimumRows = 32

    /// The path a large enough layer takes for an input with `nonzero` of its `count` entries not zero:
    /// "sparse" or "sgemm" (bench names it beside each architecture's training figures).
    public static func inputPath(nonzero: Int, of count: Int) -> String {
        sparseDensityLimit > 0 && Double(nonzero) <= sparseDensityLimit * Double(count) ? "sparse" : "sgemm"
    }

    /// Whether the passes over x take the sparse path: a product large enough to split
    /// (`parallelWork`), enough rows, and at most `sparseDensityLimit` of x not zero.
    func takesSparseInputs(_ x: Matrix) -> Bool {
        guard Self.sparseDensityLimit > 0, x.rows >= Self.sparseMinimumRows, inputSize * outputSize >= Self.parallelWork else {
            return false
        }
        return Self.inputPath(nonzero: lx_sparse_count_nonzero(x.storage, x.count), of: x.count) == "sparse"
    }

    /// y = activation(x Wᵀ + b), as `forward(_:into:pool:)`, skipping x's zeros, in two regions on
    /// `pool`: each thread packs its share of Wᵀ's panels and compresses its share of x's pairs of rows;
    /// then each multiplies its pairs of rows by all of Wᵀ, the bias and activation added as it stores.
    public func forward(_ x: Matrix, into y: Matrix, skippingZeroInputsWith scratch: SparseInputsScratch, pool: ComputePool) {
        precondition(x.columns == inputSize && y.columns == outputSize)
        let (n, m, batch) = (inputSize, outputSize, x.rows)
        y.rows = batch
        scratch.reserve(rows: batch, inputs: n, outputs: m)
        let (panels, pairs) = (scratch.weightPanels.storage, scratch.pairs)
        let (pairCount, parts) = ((batch + 1) / 2, min(pool.threadCount, (batch + 1) / 2))
        pool.run { part in
            guard part < parts else { return }
            let own = ComputePool.part(part, of: Self.panelCount(m), parts: parts)
            lx_sparse_pack_transposed_panels(weight.value.storage, m, n, own.lowerBound, own.upperBound, panels)
            let rows = ComputePool.part(part, of: pairCount, parts: parts)
            lx_sparse_compress_pairs(x.storage, batch, n, n, 1, rows.lowerBound, rows.upperBound, pairs.counts,
                                     pairs.indices, pairs.values)
        }
        pool.run { part in
            guard part < parts else { return }
            let own = ComputePool.part(part, of: pairCount, parts: parts), first = own.lowerBound
            lx_sparse_pairs_times_dense(min(batch, 2 * own.upperBound) - 2 * first, m, n, pairs.counts + first,
                                        pairs.indices + first * n, pairs.values + 2 * first * n, panels,
                                        bias.value.storage, activation.code, y.storage + 2 * first * m, m,
                                        pairs.cursor + first)
        }
    }

    /// The backward pass of `backward(input:output:outputGradient:inputGradient:accumulateInputGradient:pool:)`
    /// with the weight gradient over x's nonzero entries only, in two regions on `pool`: each thread
    /// takes whole panels of output units (their mask and db, their panels of dpre) and a share of x's
    /// pairs of columns (pixels) to compress; then each multiplies its pairs of pixels by all of dpre
    /// into dWᵀ's rows, and transposes them into its columns of dW. Then dx as before (rows per thread).
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                         accumulateInputGradient: Bool = false, skippingZeroInputsWith scratch: SparseInputsScratch,
                         pool: ComputePool) {
        let (n, m, batch) = (inputSize, outputSize, x.rows)
        scratch.reserve(rows: batch, inputs: n, outputs: m)
        let mask = activation.prepareGradient(dy.storage, output: y.storage, count: batch * m)
        let (gradientPanels, transposedGradient, pairs) = (scratch.gradientPanels.storage, scratch.weightPanels.storage,
                                                           scratch.pairs)
        let pairCount = (n + 1) / 2, parts = min(pool.threadCount, Self.panelCount(m))
        pool.run { part in
            guard part < parts else { return }
            let units = Self.units(of: ComputePool.part(part, of: Self.panelCount(m), parts: parts), outputs: m)
            let first = units.lowerBound
            lx_dense_bias_gradient(dy.storage + first, mask.map { $0 + first }, bias.gradient.storage + first, batch,
                                   units.count, m)
            lx_sparse_pack_panels(dy.storage + first, batch, units.count, m, gradientPanels + first * batch)
            let columns = ComputePool.part(part, of: pairCount, parts: parts)
            lx_sparse_compress_pairs(x.storage, n, batch, 1, n, columns.lowerBound, columns.upperBound, pairs.counts,
                                     pairs.indices, pairs.values)
        }
        pool.run { part in
            guard part < parts else { return }
            let own = ComputePool.part(part, of: pairCount, parts: parts), first = own.lowerBound
            let pixels = 2 * first ..< min(n, 2 * own.upperBound)
            lx_sparse_pairs_times_dense(pixels.count, m, batch, pairs.counts + first, pairs.indices + first * batch,
                                        pairs.values + 2 * first * batch, gradientPanels, nil, Activation.identity.code,
                                        transposedGradient + pixels.lowerBound * m, m, pairs.cursor + first)
            lx_sparse_transpose_rows(transposedGradient, n, m, pixels.lowerBound, pixels.upperBound,
                                     weight.gradient.storage)
        }
        guard let dx else { return }
        inputGradient(dpre: dy, into: dx, accumulate: accumulateInputGradient, pool: pool)
    }

    /// The output units of the panels `panels`.
    static func units(of panels: Range<Int>, outputs: Int) -> Range<Int> {
        panels.lowerBound * Int(LX_SPARSE_PANEL) ..< min(outputs, panels.upperBound * Int(LX_SPARSE_PANEL))
    }

    /// Panels of `LX_SPARSE_PANEL` columns covering `columns`.
    static func panelCount(_ columns: Int) -> Int {
        (columns + Int(LX_SPARSE_PANEL) - 1) / Int(LX_SPARSE_PANEL)
    }
}
