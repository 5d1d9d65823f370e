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
///
/// **Units on in every row.** When x is the output of a dense layer `previous` (x = f(u V^T + c) for
/// its input u, with f(v) = v for v > 0, as ReLU, LeakyReLU and the identity have), most of a group's
/// active units are positive in every one of its rows (for the shipped 2-D letters model about 207 of
/// the 241 active in an image's 100 samples; 157 of 299 for the 16-D one). On those units, L_g, x is
/// the affine u V_L^T + c_L of the narrow input u (the latent point), so their share of the product is
/// one affine map of u for the whole group:
///
///     x[:, L] W[:, L]^T = [u 1] M_g      M_g = [V_L | c_L]^T W[:, L]^T      ([in + 1, out], once per group)
///     y[g] = activation([u 1 x[:, R]] [M_g ; W[:, R]^T] + b)                 R_g = A_g \ L_g (the varying units)
///
/// which costs S (in + 1 + |R|) + (in + 1) |L| multiply-adds an output instead of S |A|: a fifth for
/// the 2-D model's K = 100 samples, three fifths for the 16-D one. It is the same sum regrouped
/// (associativity, not only summation order): each logit differs from the plain pass's by float
/// rounding, as a different summation order would. A group takes whichever way costs fewer.
extension Dense {
    /// y = activation(x W^T + b) (as `forward`), each group's product over its active inputs only.
    /// With `previous`, x must be `previous.layer`'s output for `previous.input` (rows in the same
    /// order), and the units positive in all of a group's rows are folded into an affine map of that
    /// input (see above) when that costs less. Returns how many of the groups' input columns were left
    /// out as zero, summed over the groups (out of `groups * inputSize`): what the grouping saved.
    /// `scratch` holds the packed blocks between calls (fresh buffers of this size on every pass would
    /// cost a page fault a page).
    @discardableResult
    public func forward(_ x: Matrix, into y: Matrix, skippingInputsZeroInEachOf groups: Int,
                        after previous: (layer: Dense, input: Matrix)? = nil,
                        scratch: ActiveInputsScratch = ActiveInputsScratch(), pool: ComputePool) -> Int {
        precondition(x.columns == inputSize && y.columns == outputSize && groups > 0)
        if let previous {
            precondition(previous.layer.outputSize == inputSize && previous.input.columns == previous.layer.inputSize
                         && previous.input.rows == x.rows, "x is the previous layer's output for its input")
        }
        y.rows = x.rows
        let groups = min(groups, x.rows)
        guard groups > 0 else { return 0 }
        let layout = GroupedLayout(rows: x.rows, groups: groups, inputs: inputSize, outputs: outputSize,
                                   narrowInputs: previous.flatMap { Self.foldsPositiveUnits($0.layer.activation) ? $0.layer.inputSize : nil })
        let floats = scratch.reserve(floats: pool.threadCount * layout.floatsPerThread,
                                     indices: pool.threadCount * layout.indicesPerThread)
        let transposed = scratch.transposed(weight.value, pool: pool)
        let likelihoods = scratch.bernoulliLikelihoods.flatMap { $0.logits === y && activation == .identity ? $0 : nil }
        scratch.likelihoodsWritten = likelihoods != nil
        let nextGroup = Atomic<Int>(0)
        let skipped = pool.sum(of: min(groups, pool.threadCount)) { range in
            let thread = range.lowerBound
            let buffers = layout.buffers(floats: floats + thread * layout.floatsPerThread,
                                         indices: scratch.indices + thread * layout.indicesPerThread)
            return Double(forwardGroups(claimingFrom: nextGroup, layout: layout, x: x, y: y, previous: previous,
                                        transposedWeight: transposed, buffers: buffers, likelihoods: likelihoods,
                                        foldedGroups: scratch.foldedGroups))
        }
        return Int(skipped)
    }

    /// Whether folding a group's `linear` always-positive units costs fewer multiply-adds an output than
    /// its plain product over all `linear + varying` active units (see the type's comment).
    static func foldingCostsLess(rows: Int, narrowInputs: Int, linear: Int, varying: Int) -> Bool {
        linear > 0 && rows * (narrowInputs + 1 + varying) + (narrowInputs + 1) * linear < rows * (linear + varying)
    }

    /// Whether an activation is the identity where it is positive (f(v) > 0 only for v > 0, and then
    /// f(v) = v), so a unit positive in every row is affine in the layer's input.
    static func foldsPositiveUnits(_ activation: Activation) -> Bool {
        switch activation {
        case .identity, .relu, .leakyReLU: return true
        }
    }

    /// The groups this thread claims from `nextGroup`, into y; returns the input columns left out.
    private func forwardGroups(claimingFrom nextGroup: borrowing Atomic<Int>, layout: GroupedLayout, x: Matrix, y: Matrix,
                               previous: (layer: Dense, input: Matrix)?, transposedWeight: UnsafeMutablePointer<Float>,
                               buffers: GroupedLayout.Buffers, likelihoods: BernoulliLikelihoods?,
                               foldedGroups: borrowing Atomic<Int>) -> Int {
        let (n, m, groups) = (inputSize, outputSize, layout.groups)
        var skipped = 0
        while true {
            let group = nextGroup.wrappingAdd(1, ordering: .relaxed).oldValue
            guard group < groups else { break }
            let rows = (x.rows - group + groups - 1) / groups      // rows group, group + groups, ...
            let source = x.storage + group * n, target = y.storage + group * m
            let output = Output(y: target, groups: groups, bias: bias.value.storage,
                                likelihoods: likelihoods.map { ($0.images + group * m, $0.into + group) })
            let active: Int
            if let previous, layout.narrowInputs > 0 {
                active = forwardFolding(group: group, rows: rows, previous: previous, x: source, output: output, layout: layout,
                                        transposedWeight: transposedWeight, buffers: buffers, foldedGroups: foldedGroups)
            } else {
                active = forwardActive(rows: rows, x: source, output: output, transposedWeight: transposedWeight, buffers: buffers)
            }
            skipped += n - active
            guard likelihoods == nil else { continue }
            for s in 0 ..< rows {
                let row = target + s * groups * m
                if active == 0 { row.update(repeating: 0, count: m) }
                lx_dense_bias_activation(row, bias.value.storage, 1, m, activation.code)
            }
        }
        return skipped
    }

    /// Where one group's product goes: its rows of y (row s at y + s * groups * m, before bias), or,
    /// with `likelihoods`, only each row's Bernoulli log-likelihood of the group's image (`image`, m
    /// pixels) under the logits (bias added), row s into `into[s * groups]`.
    struct Output {
        let y: UnsafeMutablePointer<Float>, groups: Int, bias: UnsafePointer<Float>
        let likelihoods: (image: UnsafePointer<Float>, into: UnsafeMutablePointer<Double>)?
    }

    /// a [rows, depth] (row stride depth = `top + count`) times b into `output`, b's rows being the
    /// `top` rows at `packed` ([top, m]) then the rows `index[0 ..< count]` of Wᵀ. The fused
    /// likelihood reads Wᵀ's rows where they lie; the plain product gathers them below the top rows.
    private func product(rows: Int, a: UnsafePointer<Float>, packed: UnsafeMutablePointer<Float>, top: Int,
                         transposedWeight: UnsafePointer<Float>, index: UnsafePointer<Int32>, count: Int, output: Output) {
        let m = outputSize, depth = top + count
        if let (image, into) = output.likelihoods {
            lx_dense_bernoulli_rows(a, rows, depth, packed, top, transposedWeight, index, count, output.bias, image, m,
                                    into, output.groups)
            return
        }
        lx_gather_rows(transposedWeight, m, index, count, packed + top * m)
        if depth > 0 {
            BLAS.gemm(m: rows, n: m, k: depth, a: a, lda: depth, b: packed, ldb: m, beta: 0, c: output.y, ldc: output.groups * m)
        }
    }

    /// One group's x[:, A] W[:, A]^T into `output`; returns |A|.
    private func forwardActive(rows: Int, x: UnsafeMutablePointer<Float>, output: Output,
                               transposedWeight: UnsafeMutablePointer<Float>, buffers: GroupedLayout.Buffers) -> Int {
        let (n, groups) = (inputSize, output.groups)
        let count = lx_active_columns(x, rows, groups * n, n, buffers.active, buffers.flags)
        lx_gather_columns(x, rows, groups * n, buffers.active, count, buffers.packedInput)
        product(rows: rows, a: buffers.packedInput, packed: buffers.packedWeight, top: 0, transposedWeight: transposedWeight,
                index: buffers.active, count: count, output: output)
        return count
    }

    /// One group's product with its always-positive units folded into [u 1] M_g (see the type's
    /// comment) when that costs fewer multiply-adds than `forwardActive`, which it calls otherwise;
    /// returns |A|.
    private func forwardFolding(group: Int, rows: Int, previous: (layer: Dense, input: Matrix), x: UnsafeMutablePointer<Float>,
                                output: Output, layout: GroupedLayout,
                                transposedWeight: UnsafeMutablePointer<Float>, buffers: GroupedLayout.Buffers,
                                foldedGroups: borrowing Atomic<Int>) -> Int {
        let (n, m, groups, narrow) = (inputSize, outputSize, layout.groups, layout.narrowInputs)
        var linearCount = 0
        let varying = lx_split_active_columns(x, rows, groups * n, n, buffers.linear, &linearCount, buffers.varying,
                                              buffers.flags)
        let active = linearCount + varying
        guard Self.foldingCostsLess(rows: rows, narrowInputs: narrow, linear: linearCount, varying: varying) else {
            return forwardActive(rows: rows, x: x, output: output, transposedWeight: transposedWeight, buffers: buffers)
        }
        foldedGroups.wrappingAdd(1, ordering: .relaxed)
        let u = previous.input.storage + group * narrow
        lx_pack_affine_inputs(u, groups * narrow, narrow, x, groups * n, buffers.varying, varying, rows, buffers.packedInput)
        // M_g, the top narrow + 1 rows of the packed weight: [V_L | c_L]^T [in + 1, |L|] times W[:, L]^T [|L|, out].
        lx_pack_linear_units(previous.layer.weight.value.storage, previous.layer.bias.value.storage, narrow,
                             buffers.linear, linearCount, buffers.linearUnits)
        lx_gemm_indexed_rows(buffers.linearUnits, narrow + 1, linearCount, transposedWeight, buffers.linear, linearCount, m,
                             buffers.packedWeight)
        product(rows: rows, a: buffers.packedInput, packed: buffers.packedWeight, top: narrow + 1,
                transposedWeight: transposedWeight, index: buffers.varying, count: varying, output: output)
        return active
    }
}

/// How `Dense.forward(_:into:skippingInputsZeroInEachOf:after:scratch:pool:)` cuts its scratch into
/// each thread's buffers: n inputs, m outputs, at most S rows a group, `narrowInputs` (0: no folding)
/// inputs of the previous layer.
struct GroupedLayout {
    let groups: Int, largestGroup: Int, inputs: Int, outputs: Int, narrowInputs: Int

    init(rows: Int, groups: Int, inputs: Int, outputs: Int, narrowInputs: Int?) {
        // Folding pays only when the previous layer's input is much narrower than this one's.
        let narrow = narrowInputs.flatMap { $0 + 1 < inputs / 2 ? $0 : nil } ?? 0
        (self.groups, self.inputs, self.outputs, self.narrowInputs) = (groups, inputs, outputs, narrow)
        largestGroup = (rows + groups - 1) / groups
    }

    /// The widest packed row: the active inputs, or the narrow inputs, a 1 and the varying units.
    private var width: Int { narrowInputs > 0 ? narrowInputs + 1 + inputs : inputs }
    /// Packed input [S, width], packed weight [width, m], and when folding the linear units' rows of
    /// the previous layer's [V | c]^T [narrow + 1, n].
    var floatsPerThread: Int {
        largestGroup * width + width * outputs + (narrowInputs > 0 ? (narrowInputs + 1) * inputs : 0)
    }
    /// Active, linear and varying indices (n each) and 2n flags.
    var indicesPerThread: Int { 5 * inputs }

    struct Buffers {
        let packedInput, packedWeight, linearUnits: UnsafeMutablePointer<Float>
        let active, linear, varying: UnsafeMutablePointer<Int32>
        let flags: UnsafeMutablePointer<UInt32>
    }

    func buffers(floats: UnsafeMutablePointer<Float>, indices: UnsafeMutablePointer<UInt32>) -> Buffers {
        let packedWeight = floats + largestGroup * width
        let words = UnsafeMutableRawPointer(indices).assumingMemoryBound(to: Int32.self)
        return Buffers(packedInput: floats, packedWeight: packedWeight,
                       linearUnits: packedWeight + width * outputs, active: words, linear: words + inputs,
                       varying: words + 2 * inputs, flags: indices + 3 * inputs)
    }
}

/// What the grouped pass's output layer computes in place of its logits: for row r of group g (the
/// bound's sample r / groups of image g), log p(x_g | z_r) = sum_j x_j l_j - softplus(l_j) into
/// `into[r]`, x_g the m pixels at `images + g * m`.
public struct BernoulliLikelihoods {
    /// The matrix the output layer would write (identifies the layer).
    public let logits: Matrix
    public let images: UnsafePointer<Float>
    public let into: UnsafeMutablePointer<Double>

    public init(logits: Matrix, images: UnsafePointer<Float>, into: UnsafeMutablePointer<Double>) {
        (self.logits, self.images, self.into) = (logits, images, into)
    }
}

/// The buffers of `Dense.forward(_:into:skippingInputsZeroInEachOf:scratch:pool:)`, kept from pass to
/// pass and grown when a pass needs more, and each layer's transposed weight with the weight it was
/// made from. Not thread-safe: one pass at a time.
public final class ActiveInputsScratch {
    private(set) var floats = UnsafeMutablePointer<Float>.allocate(capacity: 0)
    private(set) var indices = UnsafeMutablePointer<UInt32>.allocate(capacity: 0)
    private var floatCount = 0, indexCount = 0
    /// How many groups took the folded product (`Dense.forward(_:into:skippingInputsZeroInEachOf:after:scratch:pool:)`),
    /// over every pass that used this scratch: what the folding did, for tests and measurements.
    public let foldedGroups = Atomic<Int>(0)
    /// When set, the grouped pass whose layer writes `logits` (a dense layer without activation: the
    /// decoder's output) writes no logits but each row's Bernoulli log-likelihood of its group's image
    /// (`lx_dense_bernoulli_rows`: the logits stay in registers); see `BernoulliLikelihoods`.
    public var bernoulliLikelihoods: BernoulliLikelihoods?
    /// Whether the last grouped pass wrote log-likelihoods instead of logits.
    public internal(set) var likelihoodsWritten = false
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
