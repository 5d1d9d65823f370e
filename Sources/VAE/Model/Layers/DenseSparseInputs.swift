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
    static let sparseDensityLimit: Double = {
        guard let text = ProcessInfo.processInfo.environment["LATENT_EXPLORER_SPARSE_DENSITY"], let limit = Double(text),
              (0 ... 1).contains(limit) else { return defaultSparseDensityLimit }
        return limit
    }()
    /// Fewer rows than this go to sgemm: packing Wᵀ costs about as much as a few rows' products.
    static let sparseMinimumRows = 32

    /// Whether the passes over x take the sparse path: a product large enough to split
    /// (`parallelWork`), enough rows, and at most `sparseDensityLimit` of x not zero.
    func takesSparseInputs(_ x: Matrix) -> Bool {
        guard Self.sparseDensityLimit > 0, x.rows >= Self.sparseMinimumRows, inputSize * outputSize >= Self.parallelWork else {
            return false
        }
        let nonzero = lx_sparse_count_nonzero(x.storage, x.count)
        return Double(nonzero) <= Self.sparseDensityLimit * Double(x.count)
    }

    /// y = activation(x Wᵀ + b), as `forward(_:into:pool:)`, skipping x's zeros, in one region on `pool`:
    /// each thread takes whole panels of output units, packs its panels of Wᵀ, compresses x by row (every
    /// thread the whole batch: a pass over x, against its share of the product) and multiplies, the bias
    /// and activation added as the product stores its sums.
    public func forward(_ x: Matrix, into y: Matrix, skippingZeroInputsWith scratch: SparseInputsScratch, pool: ComputePool) {
        precondition(x.columns == inputSize && y.columns == outputSize)
        let (n, m, batch) = (inputSize, outputSize, x.rows)
        y.rows = batch
        scratch.reserve(rows: batch, inputs: n, outputs: m, threads: pool.threadCount)
        let panels = scratch.weightPanels.storage
        pool.forEachPart(of: Self.panelCount(m)) { part, panelRange in
            let units = Self.units(of: panelRange, outputs: m), first = units.lowerBound
            lx_sparse_pack_transposed_panels(weight.value.storage, m, n, panelRange.lowerBound, panelRange.upperBound, panels)
            let sparse = scratch.sparseMatrix(part)
            lx_sparse_compress_rows(x.storage, batch, n, n, sparse.offsets, sparse.indices, sparse.values)
            lx_sparse_times_dense(batch, units.count, n, sparse.offsets, sparse.indices, sparse.values, panels + first * n,
                                  bias.value.storage + first, activation.code, y.storage + first, m, sparse.cursor)
        }
    }

    /// The backward pass of `backward(input:output:outputGradient:inputGradient:accumulateInputGradient:pool:)`
    /// with the weight gradient over x's nonzero entries only. One region on `pool` in which each thread
    /// takes whole panels of output units: their mask and db, their panels of dpre, dWᵀ[:, units] from x
    /// compressed by column (every thread the whole batch), and the transpose of that into dW's rows of
    /// its units; then dx as before (rows per thread).
    public func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                         accumulateInputGradient: Bool = false, skippingZeroInputsWith scratch: SparseInputsScratch,
                         pool: ComputePool) {
        let (n, m, batch) = (inputSize, outputSize, x.rows)
        scratch.reserve(rows: batch, inputs: n, outputs: m, threads: pool.threadCount)
        let mask = activation.prepareGradient(dy.storage, output: y.storage, count: batch * m)
        let (gradientPanels, transposedGradient) = (scratch.gradientPanels.storage, scratch.weightPanels.storage)
        pool.forEachPart(of: Self.panelCount(m)) { part, panelRange in
            let units = Self.units(of: panelRange, outputs: m), first = units.lowerBound
            lx_dense_bias_gradient(dy.storage + first, mask.map { $0 + first }, bias.gradient.storage + first, batch,
                                   units.count, m)
            lx_sparse_pack_panels(dy.storage + first, batch, units.count, m, gradientPanels + first * batch)
            let (sparse, byRow) = (scratch.sparseMatrix(part), scratch.rowEntries(part))
            // The cursor is free until the product: it holds the entries' row offsets on the way.
            lx_sparse_compress_columns(x.storage, batch, n, 0, n, sparse.offsets, sparse.indices, sparse.values,
                                       byRow.indices, byRow.values, sparse.cursor)
            lx_sparse_times_dense(n, units.count, batch, sparse.offsets, sparse.indices, sparse.values,
                                  gradientPanels + first * batch, nil, Activation.identity.code, transposedGradient + first, m,
                                  sparse.cursor)
            lx_transpose_columns(transposedGradient, n, m, units.lowerBound, units.upperBound, weight.gradient.storage)
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
