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
        lx_accumulate_active_rows(output, decoderOutputTransposed, hiddenRow, h, n)
        lx_sigmoid(output, output, n)
    }

    /// Decodes many latent points at once (`points.count / latentDim` of them): row r of the result
    /// holds the `inputSize` pixel probabilities of point r. Uses no BLAS, so a UI thread can call it
    /// while training keeps OpenBLAS's threads busy; large batches are split over the cores.
    public func decodeBatch(_ points: [Float]) -> [Float] {
        let (n, l) = (architecture.inputSize, architecture.latentDim)
        let count = points.count / l
        var pixels = [Float](repeating: 0, count: count * n)
        let job = BatchDecodeJob(model: model, rowsTransposed: decoderOutputTransposed)
        pixels.withUnsafeMutableBufferPointer { out in
            points.withUnsafeBufferPointer { input in
                let target = SendablePointer(out.baseAddress!), source = SendablePointer(UnsafeMutablePointer(mutating: input.baseAddress!))
                let chunks = count >= 64 ? 2 : 1
                _ = Parallel.mapChunks(count: (count + 3) / 4, chunks: chunks) { blocks in
                    let range = blocks.lowerBound * 4 ..< min(blocks.upperBound * 4, count)
                    job.decode(source.pointer + range.lowerBound * l, count: range.count,
                               into: target.pointer + range.lowerBound * n)
                }
            }
        }
        return pixels
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

/// The decoder applied to a run of latent points, on whichever thread runs it.
private struct BatchDecodeJob: @unchecked Sendable {
    let model: VAEModel
    let rowsTransposed: UnsafeMutablePointer<Float>

    func decode(_ points: UnsafeMutablePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        let a = model.architecture
        let (n, h, l) = (a.inputSize, a.hiddenSize, a.latentDim)
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: count * h)
        defer { hidden.deallocate() }
        let w1 = model.decoderHidden.weight.value.storage, b1 = model.decoderHidden.bias.value.storage
        for p in 0 ..< count {
            for j in 0 ..< h {
                var s = b1[j]
                for k in 0 ..< l { s += w1[j * l + k] * points[p * l + k] }
                hidden[p * h + j] = max(s, 0)
            }
            (out + p * n).update(from: model.decoderOutput.bias.value.storage, count: n)
        }
        lx_accumulate_active_rows_batch(out, rowsTransposed, hidden, count, h, n)
        lx_sigmoid(out, out, count * n)
    }
}

/// A pointer handed to worker threads that each touch their own part of the memory.
struct SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}
