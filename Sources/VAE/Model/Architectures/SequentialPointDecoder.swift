import CKernels

/// The decoder of a `SequentialNetwork` without BLAS, for the explorer: its own copy of the decoder's
/// layers, made when it is (training may change the network's weights meanwhile), run a few points at a
/// time so that their activations stay in cache. Each row of the decoder becomes one step:
///
/// - the first layer of a conditional decoder reads [z, onehot(y)] `[L + C]`: Wd1 [z, onehot(y)] + bd1 =
///   Wd1[:, :L] z + (bd1 + Wd1[:, L + y]), so each class's bias row is summed once here and the one-hot
///   product costs nothing per point (`ClassFoldedStep`);
/// - a dense layer reading a ReLU layer's output keeps its weight transposed, `[in, out]`, and sums the
///   rows whose input unit is active: ReLU leaves about half of them at zero (`ActiveRowsStep`);
/// - any other layer runs its own BLAS-free `inferenceForward`.
///
/// @unchecked Sendable: its steps are copies made in `init` that nothing writes afterwards (an
/// immutable snapshot); `decode` only reads them, with its own scratch per call.
final class SequentialPointDecoder: PointDecoder, @unchecked Sendable {
    private let steps: [any PointStep]
    private let (latentDim, inputSize, classCount): (Int, Int, Int)
    /// The widest hidden output (each of `decode`'s two activation buffers holds `chunk` rows of it) and
    /// the most scratch any step needs: both fixed by `steps`.
    private let (widest, scratchCount): (Int, Int)
    /// Points decoded together: their activations (about 40 KB each for the conv VAE at 28x28) stay in L2.
    static let chunk = 8

    init(table: LayerTable, decoder: [any NetworkLayer], latentDim: Int) {
        let specs = table.decoderLayers
        classCount = table.joinedClasses
        (self.latentDim, inputSize) = (latentDim, decoder.last!.outputSize)
        steps = specs.indices.map { i -> any PointStep in
            let (spec, layer) = (specs[i], decoder[i])
            if i == 0 && table.joinedClasses > 0 {
                guard let dense = layer as? Dense else { preconditionFailure("a conditional decoder's first layer must be dense") }
                return ClassFoldedStep(dense, latentDim: latentDim)
            }
            if i > 0, specs[i - 1].activation == .relu, let dense = layer as? Dense { return ActiveRowsStep(dense) }
            let copy = spec.makeLayer()
            Parameter.copyValues(from: layer.parameters, to: copy.parameters)
            return LayerStep(layer: copy)
        }
        widest = steps.dropLast().map(\.outputSize).max() ?? 0
        scratchCount = steps.map(\.scratchCount).max() ?? 0
    }

    func decode(_ points: UnsafePointer<Float>, classes: UnsafePointer<Int32>?, count: Int,
                into pixels: UnsafeMutablePointer<Float>) {
        precondition((classes != nil) == (classCount > 0),
                     classCount > 0 ? "a conditional decoder needs a class per point" : "an unconditional decoder takes no classes")
        guard count > 0 else { return }
        let chunk = min(Self.chunk, count)
        // Two activation buffers used in turn, [chunk, widest hidden output] each, then the scratch.
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: 2 * widest * chunk + scratchCount)
        defer { buffer.deallocate() }
        for start in stride(from: 0, to: count, by: chunk) {
            let m = min(chunk, count - start)
            var input = points + start * latentDim
            for (i, step) in steps.enumerated() {
                let output = i == steps.count - 1 ? pixels + start * inputSize : buffer + (i % 2) * widest * chunk
                step.run(input, classes: classes.map { $0 + start }, count: m, into: output, scratch: buffer + 2 * widest * chunk)
                input = UnsafePointer(output)
            }
            lx_sigmoid(pixels + start * inputSize, pixels + start * inputSize, m * inputSize)
        }
    }
}

/// One row of the point decoder: `count` points `[count, in]` -> `[count, outputSize]`.
private protocol PointStep {
    var outputSize: Int { get }
    var scratchCount: Int { get }
    func run(_ x: UnsafePointer<Float>, classes: UnsafePointer<Int32>?, count: Int, into y: UnsafeMutablePointer<Float>,
             scratch: UnsafeMutablePointer<Float>)
}

/// A layer's own BLAS-free forward.
private struct LayerStep: PointStep {
    let layer: any NetworkLayer
    var outputSize: Int { layer.outputSize }
    var scratchCount: Int { layer.inferenceScratchCount }

    func run(_ x: UnsafePointer<Float>, classes: UnsafePointer<Int32>?, count: Int, into y: UnsafeMutablePointer<Float>,
             scratch: UnsafeMutablePointer<Float>) {
        layer.inferenceForward(x, count: count, into: y, scratch: scratch)
    }
}

/// A dense layer reading ReLU outputs (zero or positive): y = activation(b + Σ over active units j of
/// x[j] W^T[j, :]), with W^T `[in, out]`, so an inactive unit's row is never read.
///
/// W^T sits in a `Matrix` (64-byte aligned, zeroed) whose rows are padded to whole 64-byte lines, so that
/// the AVX-512 kernel's 64-byte loads never straddle two cache lines: a Swift array's elements start 32
/// bytes into its buffer, and split loads took a 512x784 layer's active rows from about 13 µs to 19 µs a
/// point. Written only in `init`.
private struct ActiveRowsStep: PointStep {
    /// Floats in one 64-byte cache line: the padded rows' width is a multiple of it.
    static let floatsPerLine = 16
    let rows: Matrix, bias: [Float]   // W^T [in, out] padded to [in, rows.columns], b [out]
    let (inputSize, outputSize): (Int, Int)
    let activation: Activation
    var scratchCount: Int { 0 }

    init(_ layer: Dense) {
        let (inputs, outputs) = (layer.inputSize, layer.outputSize)
        (inputSize, outputSize, activation) = (inputs, outputs, layer.activation)
        var transposed = [Float](repeating: 0, count: inputs * outputs)
        lx_transpose_columns(layer.weight.value.storage, outputs, inputs, 0, inputs, &transposed)   // [out, in] -> [in, out]
        let stride = (outputs + Self.floatsPerLine - 1) / Self.floatsPerLine * Self.floatsPerLine
        let rows = Matrix(rows: inputs, columns: stride)
        transposed.withUnsafeBufferPointer { t in
            for r in 0 ..< inputs { (rows.storage + r * stride).update(from: t.baseAddress! + r * outputs, count: outputs) }
        }
        self.rows = rows
        bias = layer.bias.value.values
    }

    func run(_ x: UnsafePointer<Float>, classes: UnsafePointer<Int32>?, count: Int, into y: UnsafeMutablePointer<Float>,
             scratch: UnsafeMutablePointer<Float>) {
        bias.withUnsafeBufferPointer { b in
            for p in 0 ..< count { (y + p * outputSize).update(from: b.baseAddress!, count: outputSize) }
        }
        if count == 1 {
            lx_accumulate_active_rows(y, rows.storage, rows.columns, x, inputSize, outputSize)
        } else {
            lx_accumulate_active_rows_batch(y, rows.storage, rows.columns, x, count, inputSize, outputSize)
        }
        lx_activation_forward(y, count * outputSize, activation.code)
    }
}

/// A conditional decoder's first layer, reading [z, onehot(y)]: y = activation(Wd1[:, :L] z + classBias[y])
/// with classBias[y] = bd1 + Wd1[:, L + y], `[C, H]`.
private struct ClassFoldedStep: PointStep {
    let latentWeight: [Float], classBiases: [Float]   // [H, L], [C, H]
    let (latentDim, classCount, outputSize): (Int, Int, Int)
    let activation: Activation
    var scratchCount: Int { 0 }

    init(_ layer: Dense, latentDim l: Int) {
        let (h, width) = (layer.outputSize, layer.inputSize)
        (latentDim, classCount, outputSize, activation) = (l, width - l, h, layer.activation)
        let (w, b) = (layer.weight.value.values, layer.bias.value.values)
        latentWeight = (0 ..< h).flatMap { j in w[j * width ..< j * width + l] }
        classBiases = (0 ..< width - l).flatMap { y in (0 ..< h).map { j in b[j] + w[j * width + l + y] } }
    }

    func run(_ x: UnsafePointer<Float>, classes: UnsafePointer<Int32>?, count: Int, into y: UnsafeMutablePointer<Float>,
             scratch: UnsafeMutablePointer<Float>) {
        guard let classes else { preconditionFailure("a conditional decoder needs a class per point") }
        classBiases.withUnsafeBufferPointer { biases in
            for p in 0 ..< count {
                let c = Int(classes[p])
                precondition((0 ..< classCount).contains(c), "class index \(c) outside 0..<\(classCount)")
                (y + p * outputSize).update(from: biases.baseAddress! + c * outputSize, count: outputSize)
            }
        }
        // y = activation(y + z Wd1[:, :L]^T): the class bias rows are added before the activation.
        lx_small_linear(x, latentWeight, nil, y, count, latentDim, outputSize, activation.code, 1)
    }
}
