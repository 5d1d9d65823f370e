import CKernels

/// Deterministic inference on a model: decode latent points to pixel probabilities and encode images
/// to latent means. Owns its buffers; use one instance per thread.
public final class Inference: @unchecked Sendable {
    public let model: VAEModel
    public var architecture: VAEArchitecture { model.architecture }

    private let latentRow: UnsafeMutablePointer<Float>
    private let hiddenRow: UnsafeMutablePointer<Float>
    /// Decoder output weight transposed to `[H, N]`, so one latent point decodes as a sum of the rows
    /// whose hidden unit is active: ReLU leaves about half of them zero, which halves the work.
    private let decoderOutputTransposed: UnsafeMutablePointer<Float>
    private var batchWorkspace: TrainingStep?

    public init(model: VAEModel) {
        self.model = model
        let a = model.architecture
        latentRow = .allocate(capacity: a.latentDim)
        hiddenRow = .allocate(capacity: a.hiddenSize)
        decoderOutputTransposed = .allocate(capacity: a.hiddenSize * a.inputSize)
        refreshCaches()
    }

    deinit {
        latentRow.deallocate()
        hiddenRow.deallocate()
        decoderOutputTransposed.deallocate()
    }

    /// Call after the model's weights change in place.
    public func refreshCaches() {
        let (n, h) = (architecture.inputSize, architecture.hiddenSize)
        let w = model.decoderOutput.weight.value.storage   // [N, H]
        for i in 0 ..< n { for j in 0 ..< h { decoderOutputTransposed[j * n + i] = w[i * h + j] } }
    }

    /// Pixel probabilities in [0, 1] (`inputSize` of them) for one latent point.
    public func decode(_ point: [Float]) -> [Float] {
        var pixels = [Float](repeating: 0, count: architecture.inputSize)
        pixels.withUnsafeMutableBufferPointer { decode(point, into: $0.baseAddress!) }
        return pixels
    }

    /// Decodes one latent point into `output` (`inputSize` floats): the explorer's cursor-move path.
    public func decode(_ point: [Float], into output: UnsafeMutablePointer<Float>) {
        let (n, h, l) = (architecture.inputSize, architecture.hiddenSize, architecture.latentDim)
        precondition(point.count == l, "latent point must have \(l) coordinates")
        let w1 = model.decoderHidden.weight.value.storage, b1 = model.decoderHidden.bias.value.storage
        for j in 0 ..< h {
            var s = b1[j]
            for k in 0 ..< l { s += w1[j * l + k] * point[k] }
            hiddenRow[j] = max(s, 0)
        }
        let b2 = model.decoderOutput.bias.value.storage
        output.update(from: b2, count: n)
        for j in 0 ..< h where hiddenRow[j] > 0 {
            let a = hiddenRow[j], row = decoderOutputTransposed + j * n
            for i in 0 ..< n { output[i] += a * row[i] }
        }
        lx_sigmoid(output, output, n)
    }

    /// Decodes many latent points at once (`points.count / latentDim` of them) with sgemm:
    /// row r of the result holds the `inputSize` pixel probabilities of point r.
    public func decodeBatch(_ points: [Float]) -> [Float] {
        let l = architecture.latentDim, n = architecture.inputSize
        let rows = points.count / l
        let z = Matrix(rows: rows, columns: l, values: points)
        let hidden = Matrix(rows: rows, columns: architecture.hiddenSize)
        let logits = Matrix(rows: rows, columns: n)
        model.decoderHidden.forward(z, into: hidden)
        model.decoderOutput.forward(hidden, into: logits)
        lx_sigmoid(logits.storage, logits.storage, logits.count)
        return logits.values
    }

    /// Latent means of every image in `images`: `[count, latentDim]` row-major.
    public func encodeMeans(_ images: ImageSet, batchSize: Int = 512) -> [Float] {
        let l = architecture.latentDim
        let step = workspace(batchSize)
        var codes = [Float](repeating: 0, count: images.count * l)
        var start = 0
        while start < images.count {
            let end = min(start + batchSize, images.count)
            step.loadBatch(images, indices: Array(start ..< end)[...])
            model.encoderHidden.forward(step.input, into: step.hidden)
            model.encoderMean.forward(step.hidden, into: step.mean)
            for i in 0 ..< step.mean.count { codes[start * l + i] = step.mean.storage[i] }
            start = end
        }
        return codes
    }

    /// The test-set loss per image: one sample of z per image with a fixed seed, as the reference does.
    public func negativeELBO(_ images: ImageSet, seed: UInt64 = 0, batchSize: Int = 512) -> LossParts {
        guard images.count > 0 else { return LossParts() }
        let step = workspace(batchSize)
        var generator = SeededGenerator(seed: seed)
        var total = LossParts()
        var start = 0
        while start < images.count {
            let end = min(start + batchSize, images.count)
            step.loadBatch(images, indices: Array(start ..< end)[...])
            total = total + step.forward(using: &generator)
            start = end
        }
        return total.scaled(by: 1 / Double(images.count))
    }

    private func workspace(_ batchSize: Int) -> TrainingStep {
        if let w = batchWorkspace, w.batchCapacity >= batchSize { return w }
        let w = TrainingStep(model: model, batchCapacity: batchSize)
        batchWorkspace = w
        return w
    }
}
