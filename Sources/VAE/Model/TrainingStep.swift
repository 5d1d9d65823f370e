import CKernels
import LetterData
import Support
#if canImport(Glibc)
import Glibc
#endif

/// The forward and backward pass of one mini-batch through any architecture, with buffers sized once
/// for `batchCapacity` rows so that the training loop allocates nothing.
///
/// Buffers, with B rows in the batch, N pixels (784) and L latent dimensions:
///
///     input               [B, N]   x, pixels in [0, 1]
///     classes             [B, C]   a conditional model's y, one-hot (nil for an unconditional model)
///     mean, logVariance   [B, L]   the encoder's q(z|x)
///     noise               [B, L]   eps ~ N(0, I)
///     z                   [B, L]   mean + exp(logVariance / 2) * noise
///     logits              [B, N]   the decoder's output; sigmoid(logits) are pixel probabilities
///     logitsGradient      [B, N]   dL/dlogits = (sigmoid(logits) - x) / B
///     zGradient           [B, L]   dL/dz, from the decoder's backward
///     meanGradient        [B, L]   dL/dmean   = dz + β mean / B
///     logVarianceGradient [B, L]   dL/dlogvar = dz * eps * sigma / 2 + β (exp(logvar) - 1) / (2B),  sigma = exp(logvar / 2)
///
/// L is the batch mean of `objective` (reconstruction + β KL), so every gradient carries the 1/B; the
/// loss parts `forward` returns are unweighted, so the true ELBO can always be reported beside it. The architecture's own activations live
/// in its `NetworkBatchPass`.
public final class TrainingStep {
    public let model: VAEModel
    public let batchCapacity: Int
    /// What `backward` differentiates; `forward` measures its unweighted parts. The trainer may change
    /// β between batches.
    public var objective: VAEObjective
    let pass: any NetworkBatchPass
    /// The threads the passes, the loss and (through the trainer) the optimizer split their work over.
    public let pool: ComputePool

    public let input: Matrix
    /// The one-hot class of each `input` row, for a conditional model (`ModelConfiguration.classCount`
    /// C > 0): what its encoder and decoder read beside x and z. Nil for an unconditional model.
    public let classes: Matrix?
    public let mean: Matrix
    public let logVariance: Matrix
    /// The standard normal noise of the reparameterisation; `forward` fills it unless told not to.
    public let noise: Matrix
    let z: Matrix
    public let logits: Matrix

    let logitsGradient: Matrix
    let zGradient: Matrix
    let meanGradient: Matrix
    let logVarianceGradient: Matrix

    public init(model: VAEModel, batchCapacity: Int, objective: VAEObjective = .elbo, pool: ComputePool) {
        self.model = model
        self.batchCapacity = batchCapacity
        self.objective = objective
        self.pool = pool
        pass = model.network.makeBatchPass(batchCapacity: batchCapacity, pool: pool)
        let (n, l) = (model.configuration.inputSize, model.configuration.latentDim)
        func m(_ columns: Int) -> Matrix { Matrix(rows: batchCapacity, columns: columns) }
        input = m(n); logits = m(n); logitsGradient = m(n)
        let c = model.configuration.classCount
        classes = c > 0 ? m(c) : nil
        mean = m(l); logVariance = m(l); noise = m(l); z = m(l)
        zGradient = m(l); meanGradient = m(l); logVarianceGradient = m(l)
    }

    /// Copies images `indices` of `images` into `input` as floats in [0, 1], and for a conditional model
    /// their classes into `classes`: `imageClasses[i]` is image i's class index in the model's order
    /// (`ClassMap.indices(of:)`), nil for an unconditional model. The model must take the data's
    /// images (`ModelConfiguration.checkFits(ImageSet.geometry)`, which every command checks first): the
    /// rows written are `inputSize` wide, so a model of another size would write past them.
    public func loadBatch(_ images: ImageSet, classes imageClasses: [Int32]? = nil, indices: ArraySlice<Int>) {
        precondition(indices.count <= batchCapacity)
        precondition((imageClasses != nil) == (classes != nil),
                     classes != nil ? "a conditional model needs the images' classes" : "an unconditional model takes no classes")
        precondition(imageClasses.map { $0.count == images.count } ?? true, "one class per image")
        precondition(model.configuration.inputSize == ImageSet.pixelCount && input.columns == ImageSet.pixelCount,
                     "the model takes \(model.configuration.inputSize) values, the images have \(ImageSet.pixelCount)")
        precondition(indices.allSatisfy { $0 >= 0 && $0 < images.count }, "image indices within the set")
        input.rows = indices.count
        let n = ImageSet.pixelCount
        images.pixels.withUnsafeBufferPointer { bytes in
            for (row, index) in indices.enumerated() {
                lx_bytes_to_unit_floats(bytes.baseAddress! + index * n, input.storage + row * n, n)
            }
        }
        if let imageClasses { setClasses(indices.map { imageClasses[$0] }) }
    }

    /// Sets the one-hot class of each `input` row: row r gets class `rowClasses[r]` (0..<C). Scoring an
    /// image under every class in turn (the generative classifier) sets them without reloading pixels.
    public func setClasses(_ rowClasses: [Int32]) {
        guard let classes else { preconditionFailure("an unconditional model takes no classes") }
        precondition(rowClasses.count == input.rows, "one class per row")
        classes.rows = input.rows
        classes.fill(0)
        for (row, y) in rowClasses.enumerated() {
            precondition(y >= 0 && Int(y) < classes.columns, "class index \(y) outside 0..<\(classes.columns)")
            classes[row, Int(y)] = 1
        }
    }

    /// The latent means of the `input` rows, in `mean` (no sampling, no decoder).
    public func encodeMeans() {
        pass.encode(input, classes: classes, mean: mean, logVariance: logVariance)
    }

    /// Forward pass over the `input` rows: the summed loss parts of the batch (not yet divided by B,
    /// not weighted by β: `objective.value(of:)` weighs them).
    /// With `sampleNoise`, draws eps from `generator`; otherwise uses what `noise` holds (tests set it).
    @discardableResult
    public func forward(sampleNoise: Bool = true, using generator: inout SeededGenerator,
                        computeGradients: Bool = false) -> LossParts {
        let batch = input.rows
        pass.encode(input, classes: classes, mean: mean, logVariance: logVariance)
        noise.rows = batch
        if sampleNoise { for i in 0 ..< noise.count { noise.storage[i] = generator.nextGaussian() } }
        VAEModel.reparameterize(mean: mean, logVariance: logVariance, noise: noise, into: z)
        let reconstruction: Double
        switch objective.likelihood {
        case .bernoulli:
            reconstruction = decodeWithReconstruction(gradient: computeGradients ? logitsGradient : nil, scale: 1 / Float(batch))
        }
        return LossParts(reconstruction: reconstruction, kl: VAELoss.kl(mean: mean, logVariance: logVariance))
    }

    /// Decodes `z` into `logits` and returns the batch's summed reconstruction loss (writing its
    /// gradient when asked). A sequential network whose decoder ends in a dense layer computes each
    /// thread's block of the loss in that layer's region (`SequentialBatchPass.decode(_:classes:logits:thenRows:)`),
    /// its partial sums added in part order; any other decodes, then takes the loss in a region of its own.
    private func decodeWithReconstruction(gradient: Matrix?, scale: Float) -> Double {
        if let sequential = pass as? SequentialBatchPass {
            gradient?.rows = z.rows
            let partials = UnsafeMutableBufferPointer<Double>.allocate(capacity: pool.threadCount)
            defer { partials.deallocate() }
            partials.initialize(repeating: 0)
            let fused = sequential.decode(z, classes: classes, logits: logits) { part, block in
                partials[part] = VAELoss.reconstruction(logits: logits, targets: input, gradient: gradient, scale: scale, block: block)
            }
            if fused { return partials.reduce(0, +) }
        } else {
            pass.decode(z, classes: classes, logits: logits)
        }
        return VAELoss.reconstruction(logits: logits, targets: input, gradient: gradient, scale: scale, pool: pool)
    }

    /// Backward pass after `forward(computeGradients: true)`: fills every parameter's gradient
    /// with d(batch-mean objective)/d(parameter).
    public func backward() {
        backward(firstLayerDone: nil)
    }

    /// `backward()`, then `optimizer.update()`, with the update in the backward pass's last region
    /// where the network allows it (a sequential network whose encoder starts with a dense layer: the
    /// MLPs, the CVAE): each thread updates the rows of the first layer it has just differentiated and
    /// its share of every other parameter, whose gradients are complete and whose weights that region
    /// does not read. One region fewer a step, and the same parameters bit for bit (Adam is element-wise).
    public func backward(thenUpdate optimizer: Adam) {
        guard let sequential = pass as? SequentialBatchPass, let first = sequential.firstEncoderLayer else {
            backward()
            return optimizer.update()
        }
        optimizer.beginUpdate()
        let own = [first.weight, first.bias]
        let fused = backward(firstLayerDone: { part, parts, units in
            optimizer.update(first.weight, elements: units.lowerBound * first.inputSize ..< units.upperBound * first.inputSize)
            optimizer.update(first.bias, elements: units)
            optimizer.updateShare(part, of: parts, excluding: own)
        })
        if !fused { optimizer.updateEveryParameter() }
    }

    /// The backward pass, with `firstLayerDone` passed to the encoder's first layer when it is dense
    /// (`SequentialBatchPass.encodeBackward(meanGradient:logVarianceGradient:firstLayerDone:)`); returns
    /// whether it was called.
    @discardableResult
    private func backward(firstLayerDone: ((_ part: Int, _ parts: Int, _ units: Range<Int>) -> Void)?) -> Bool {
        let batch = input.rows
        let scale = 1 / Float(batch)
        let klScale = Float(objective.klWeight) * scale
        zGradient.rows = batch
        pass.decodeBackward(logitsGradient: logitsGradient, zGradient: zGradient)
        meanGradient.rows = batch; logVarianceGradient.rows = batch
        for i in 0 ..< mean.count {
            let sigma = expf(0.5 * logVariance.storage[i])
            meanGradient.storage[i] = zGradient.storage[i] + mean.storage[i] * klScale
            logVarianceGradient.storage[i] = zGradient.storage[i] * noise.storage[i] * sigma * 0.5
                + (sigma * sigma - 1) * 0.5 * klScale
        }
        if let sequential = pass as? SequentialBatchPass {
            return sequential.encodeBackward(meanGradient: meanGradient, logVarianceGradient: logVarianceGradient,
                                             firstLayerDone: firstLayerDone)
        }
        pass.encodeBackward(meanGradient: meanGradient, logVarianceGradient: logVarianceGradient)
        return false
    }
}
