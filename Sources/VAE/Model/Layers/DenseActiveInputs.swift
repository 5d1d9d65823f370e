import CKernels
import Foundation
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
    /// `scratch` holds the packed blocks between calls (fresh buffers of this size on every pass would
    /// cost a page fault a page).
    @discardableResult
    public func forward(_ x: Matrix, into y: Matrix, skippingInputsZeroInEachOf groups: Int,
                        scratch: ActiveInputsScratch = ActiveInputsScratch(), pool: ComputePool) -> Int {
        precondition(x.columns == inputSize && y.columns == outputSize && groups > 0)
        y.rows = x.rows
        let groups = min(groups, x.rows)
        guard groups > 0 else { return 0 }
        let (n, m) = (inputSize, outputSize)
        let largestGroup = (x.rows + groups - 1) / groups
        // For each thread its packed input [largestGroup, n] and weight [n, m] blocks.
        let perThread = largestGroup * n + n * m
        let floats = scratch.reserve(floats: pool.threadCount * perThread, indices: 2 * n * pool.threadCount)
        let transposed = scratch.transposed(weight.value, pool: pool)
        let nextGroup = Atomic<Int>(0)
        let skipped = pool.sum(of: min(groups, pool.threadCount)) { range in
            let thread = range.lowerBound, block = floats + thread * perThread
            let indices = scratch.indices + 2 * n * thread
            return Double(forwardGroups(claimingFrom: nextGroup, of: groups, x: x, y: y, transposedWeight: transposed,
                                        packedInput: block, packedWeight: block + largestGroup * n,
                                        active: UnsafeMutableRawPointer(indices).assumingMemoryBound(to: Int32.self),
                                        flags: indices + n))
        }
        return Int(skipped)
    }

    /// The groups (of `groups`) this thread claims from `nextGroup`, into y; returns the input columns
    /// left out.
    private func forwardGroups(claimingFrom nextGroup: borrowing Atomic<Int>, of groups: Int, x: Matrix, y: Matrix,
                               transposedWeight: UnsafeMutablePointer<Float>, packedInput: UnsafeMutablePointer<Float>,
                               packedWeight: UnsafeMutablePointer<Float>, active: UnsafeMutablePointer<Int32>,
                               flags: UnsafeMutablePointer<UInt32>) -> Int {
        let (n, m) = (inputSize, outputSize)
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

/// The buffers of `Dense.forward(_:into:skippingInputsZeroInEachOf:scratch:pool:)`, kept from pass to
/// pass and grown when a pass needs more, and each layer's transposed weight with the weight it was
/// made from. Not thread-safe: one pass at a time.
public final class ActiveInputsScratch {
    private(set) var floats = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    private(set) var indices = UnsafeMutablePointer<UInt32>.allocate(capacity: 0)
    private var floatCount = 0, indexCount = 0
    /// For each weight matrix seen: a copy of its values and their transpose.
    private var transposes: [ObjectIdentifier: (source: Matrix, transposed: Matrix)] = [:]

    public init() {}

    deinit { floats.deallocate(); indices.deallocate() }

    /// Wᵀ `[columns, rows]` of `weight` `[rows, columns]`, so that the rows of an active set are whole
    /// rows of it. Made again only when the weight's values changed since the last call (comparing
    /// them costs a tenth of transposing them, which the bound's every pass would otherwise repeat).
    func transposed(_ weight: Matrix, pool: ComputePool) -> UnsafeMutablePointer<Float> {
        let key = ObjectIdentifier(weight), count = weight.rows * weight.columns
        if let kept = transposes[key], kept.source.count == count, kept.source.columns == weight.columns,
           memcmp(kept.source.storage, weight.storage, count * MemoryLayout<Float>.size) == 0 {
            return kept.transposed.storage
        }
        let source = Matrix(rows: weight.rows, columns: weight.columns), transposed = Matrix(rows: weight.columns, columns: weight.rows)
        source.copy(from: weight)
        pool.forEachPart(of: weight.columns) { _, columns in
            lx_transpose_columns(weight.storage, weight.rows, weight.columns, columns.lowerBound, columns.upperBound,
                                 transposed.storage)
        }
        transposes[key] = (source, transposed)
        return transposed.storage
    }

    /// At least `floats` floats and `indices` words; returns the floats.
    func reserve(floats wanted: Int, indices wantedIndices: Int) -> UnsafeMutablePointer<Float> {
        if wanted > floatCount {
            floats.deallocate()
            floats = .allocate(capacity: wanted)
            floatCount = wanted
        }
        if wantedIndices > indexCount {
            indices.deallocate()
            indices = .allocate(capacity: wantedIndices)
            indexCount = wantedIndices
        }
        return floats
    }
}
