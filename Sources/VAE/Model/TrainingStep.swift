#if canImport(Glibc)
import Glibc
#endif

/// The buffers and the forward/backward pass of one mini-batch, sized once for `batchCapacity` rows.
///
/// Shapes, with B rows in the batch, N inputs (784), H hidden units (512) and L latent dimensions:
///
///     x [B,N] -> hidden [B,H] -> mean, logVariance [B,L] -> z [B,L] -> decoderHidden [B,H] -> logits [B,N]
///
/// Backward, for the batch-mean loss (all gradients carry the 1/B):
///
///     dlogits = (sigmoid(logits) - x) / B
///     dz      = decoder backward of dlogits
///     dmean   = dz + mean / B
///     dlogvar = dz * eps * sigma / 2 + (exp(logvar) - 1) / (2B)      (sigma = exp(logvar / 2))
///     dhidden = dmean Wmu + dlogvar Wlv, then the encoder's first layer (no dx: x is data)
public final class TrainingStep: @unchecked Sendable {
    public let model: VAEModel
    public let batchCapacity: Int

    public let input: Matrix
    let hidden: Matrix
    public let mean: Matrix
    public let logVariance: Matrix
    /// The standard normal noise of the reparameterisation; `forward` fills it unless told not to.
    public let noise: Matrix
    let z: Matrix
    let decoderHidden: Matrix
    public let logits: Matrix

    let logitsGradient: Matrix
    let decoderHiddenGradient: Matrix
    let zGradient: Matrix
    let meanGradient: Matrix
    let logVarianceGradient: Matrix
    let hiddenGradient: Matrix

    public init(model: VAEModel, batchCapacity: Int) {
        self.model = model
        self.batchCapacity = batchCapacity
        let a = model.architecture
        func m(_ columns: Int) -> Matrix { Matrix(rows: batchCapacity, columns: columns) }
        input = m(a.inputSize); hidden = m(a.hiddenSize)
        mean = m(a.latentDim); logVariance = m(a.latentDim); noise = m(a.latentDim); z = m(a.latentDim)
        decoderHidden = m(a.hiddenSize); logits = m(a.inputSize)
        logitsGradient = m(a.inputSize); decoderHiddenGradient = m(a.hiddenSize); zGradient = m(a.latentDim)
        meanGradient = m(a.latentDim); logVarianceGradient = m(a.latentDim); hiddenGradient = m(a.hiddenSize)
    }

    /// Copies images `indices` of `images` into `input` as floats in [0, 1].
    public func loadBatch(_ images: ImageSet, indices: ArraySlice<Int>) {
        precondition(indices.count <= batchCapacity)
        input.rows = indices.count
        let n = ImageSet.pixelCount
        images.pixels.withUnsafeBufferPointer { bytes in
            for (row, index) in indices.enumerated() {
                let source = bytes.baseAddress! + index * n
                let target = input.storage + row * n
                for j in 0 ..< n { target[j] = Float(source[j]) * (1 / 255) }
            }
        }
    }

    /// Forward pass over the `input` rows: the summed loss of the batch (not yet divided by B).
    /// With `sampleNoise`, draws eps from `generator`; otherwise uses what `noise` holds (tests set it).
    @discardableResult
    public func forward(sampleNoise: Bool = true, using generator: inout SeededGenerator,
                        computeGradients: Bool = false) -> LossParts {
        let batch = input.rows
        model.encoderHidden.forward(input, into: hidden)
        model.encoderMean.forward(hidden, into: mean)
        model.encoderLogVariance.forward(hidden, into: logVariance)
        noise.rows = batch; z.rows = batch
        if sampleNoise { for i in 0 ..< noise.count { noise.storage[i] = generator.nextGaussian() } }
        for i in 0 ..< z.count {
            z.storage[i] = mean.storage[i] + expf(0.5 * logVariance.storage[i]) * noise.storage[i]
        }
        model.decoderHidden.forward(z, into: decoderHidden)
        model.decoderOutput.forward(decoderHidden, into: logits)
        logitsGradient.rows = batch
        let reconstruction = VAELoss.reconstruction(
            logits: logits, targets: input, gradient: computeGradients ? logitsGradient : nil,
            scale: 1 / Float(batch))
        return LossParts(reconstruction: reconstruction, kl: VAELoss.kl(mean: mean, logVariance: logVariance))
    }

    /// Backward pass after `forward(computeGradients: true)`: fills every parameter's gradient
    /// with d(batch-mean loss)/d(parameter).
    public func backward() {
        let batch = input.rows
        let scale = 1 / Float(batch)
        model.decoderOutput.backward(input: decoderHidden, output: logits, outputGradient: logitsGradient,
                                     inputGradient: decoderHiddenGradient)
        model.decoderHidden.backward(input: z, output: decoderHidden, outputGradient: decoderHiddenGradient,
                                     inputGradient: zGradient)
        meanGradient.rows = batch; logVarianceGradient.rows = batch
        for i in 0 ..< mean.count {
            let lv = logVariance.storage[i]
            let sigma = expf(0.5 * lv)
            meanGradient.storage[i] = zGradient.storage[i] + mean.storage[i] * scale
            logVarianceGradient.storage[i] = zGradient.storage[i] * noise.storage[i] * sigma * 0.5
                + (sigma * sigma - 1) * 0.5 * scale
        }
        model.encoderMean.backward(input: hidden, output: mean, outputGradient: meanGradient,
                                   inputGradient: hiddenGradient)
        model.encoderLogVariance.backward(input: hidden, output: logVariance, outputGradient: logVarianceGradient,
                                          inputGradient: hiddenGradient, accumulateInputGradient: true)
        model.encoderHidden.backward(input: input, output: hidden, outputGradient: hiddenGradient,
                                     inputGradient: nil)
    }
}
