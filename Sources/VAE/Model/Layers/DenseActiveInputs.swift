import CKernels
import Synchronization

/// The forward pass of a dense layer whose input rows fall into groups that share most of their zero
/// inputs: the importance-weighted bound's K samples of one image, decoded after a ReLU layer. The
/// samples of an image lie close together in the latent space, so a hidden unit that is off for one of
/// them is mostly off for all; an input column that is zero in every row of a group adds exact zeros
/// to that group's sums, and is left out of its product:
///
///     y[g] = activation(x[g][:, A_g] W[:, A_g]^T + b)     A_g = { j : x[r, j] != 0 for some row r of g }
///
/// the same sums as `forward` but for the dropped zero terms (so equal up to float summation order).
/// Row r belongs to group r mod `groups` (the bound's rows are sample-major: row s*B + b is sample s of
/// image b). Each group's rows are gathered into a compact [S, |A_g|] block and the matching rows of
/// Wᵀ into [|A_g|, out], then one sgemm and the bias and activation of its rows. The pool's threads
/// take the groups one at a time as they finish the last (the groups' active sets differ in size, so a
/// fixed split would leave one thread waiting).
extension Dense {
    /// y = activation(x W^T + b) (as `forward`), each group's product over its active inputs only.
    /// Returns how many of the groups' input columns were left out, summed over the groups (out of
    /// `groups * inputSize`): what the grouping saved.
    @discardableResult
    public func forward(_ x: Matrix, into y: Matrix, skippingInputsZeroInEachOf groups: Int, pool: ComputePool) -> Int {
        precondition(x.columns == inputSize && y.columns == outputSize && groups > 0)
        y.rows = x.rows
        let groups = min(groups, x.rows)
        guard groups > 0 else { return 0 }
        let transposed = transposedWeight(pool: pool)
        defer { transposed.deallocate() }
        let nextGroup = Atomic<Int>(0)
        let skipped = pool.sum(of: min(groups, pool.threadCount)) { _ in
            Double(forwardGroups(claimingFrom: nextGroup, of: groups, x: x, y: y, transposedWeight: transposed))
        }
        return Int(skipped)
    }

    /// Wᵀ `[inputSize, outputSize]`, so that the rows of an active set are whole rows of it. Freed by
    /// the caller.
    private func transposedWeight(pool: ComputePool) -> UnsafeMutablePointer<Float> {
        let t = UnsafeMutablePointer<Float>.allocate(capacity: inputSize * outputSize)
        pool.forEachPart(of: inputSize) { _, inputs in
            lx_transpose_columns(weight.value.storage, outputSize, inputSize, inputs.lowerBound, inputs.upperBound, t)
        }
        return t
    }

    /// The groups (of `groups`) this thread claims from `nextGroup`, into y; returns the input columns
    /// left out.
    private func forwardGroups(claimingFrom nextGroup: borrowing Atomic<Int>, of groups: Int, x: Matrix, y: Matrix,
                               transposedWeight: UnsafeMutablePointer<Float>) -> Int {
        let (n, m) = (inputSize, outputSize)
        let largestGroup = (x.rows + groups - 1) / groups
        let packedInput = UnsafeMutablePointer<Float>.allocate(capacity: largestGroup * n)
        let packedWeight = UnsafeMutablePointer<Float>.allocate(capacity: n * m)
        let active = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        let flags = UnsafeMutablePointer<UInt32>.allocate(capacity: n)
        defer { packedInput.deallocate(); packedWeight.deallocate(); active.deallocate(); flags.deallocate() }
        var skipped = 0
        while true {
            let group = nextGroup.wrappingAdd(1, ordering: .relaxed).oldValue
            guard group < groups else { break }
            let rows = (x.rows - group + groups - 1) / groups      // rows group, group + groups, ...
            let source = x.storage + group * n, target = y.storage + group * m
            let count = lx_active_columns(source, rows, groups * n, n, active, flags)
            skipped += n - count
            if count > 0 {
                lx_gather_columns(source, rows, groups * n, active, count, packedInput)
                lx_gather_rows(transposedWeight, m, active, count, packedWeight)
                BLAS.gemm(m: rows, n: m, k: count, a: packedInput, lda: count, b: packedWeight, ldb: m,
                          beta: 0, c: target, ldc: groups * m)
            }
            for s in 0 ..< rows {
                let row = target + s * groups * m
                if count == 0 { row.update(repeating: 0, count: m) }
                lx_dense_bias_activation(row, bias.value.storage, 1, m, activation.code)
            }
        }
        return skipped
    }
}
