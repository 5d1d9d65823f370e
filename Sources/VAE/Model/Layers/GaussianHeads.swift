/// The last layer of every encoder: two linear heads reading one hidden vector, the mean and the log
/// of the variance of the diagonal Gaussian q(z|x). PyTorch module names `encoder.mean`, `encoder.logvar`.
///
///     hidden [B, H] -> mean = hidden Wmu^T + bmu [B, L],  logVariance = hidden Wlv^T + blv [B, L]
///     backward: dhidden = dmean Wmu + dlogvar Wlv    (both heads read `hidden`, so their dx add up)
final class GaussianHeads {
    let mean: Dense
    let logVariance: Dense

    init(hiddenSize: Int, latentDim: Int) {
        mean = Dense(name: "encoder.mean", inputSize: hiddenSize, outputSize: latentDim, activation: .identity)
        logVariance = Dense(name: "encoder.logvar", inputSize: hiddenSize, outputSize: latentDim, activation: .identity)
    }

    /// Both heads in one region: each thread the same rows of each (one head's product decides whether
    /// to split, as when each had its own region).
    func forward(_ hidden: Matrix, mean meanOutput: Matrix, logVariance logVarianceOutput: Matrix, pool: ComputePool) {
        precondition(hidden.columns == mean.inputSize)
        let batch = hidden.rows
        (meanOutput.rows, logVarianceOutput.rows) = (batch, batch)
        let parts = parts(batch: batch, in: pool)
        pool.forEachIndex(parts) { part in
            let rows = ComputePool.part(part, of: batch, parts: parts)
            mean.forwardRows(hidden, into: meanOutput, rows: rows)
            logVariance.forwardRows(hidden, into: logVarianceOutput, rows: rows)
        }
    }

    /// Sets both heads' parameter gradients and overwrites `hiddenGradient` with dL/dhidden, in one
    /// region (the heads are linear, so their gradients need no mask first): each thread its units of
    /// each head's dW and db, then its rows of dhidden = dmean Wmu + dlogvar Wlv, added in that order.
    /// With `hiddenActivation` (the activation and output of the layer that made `hidden`), those rows
    /// then become that layer's dL/d(pre-activation) (`Dense.backward`'s `outputGradientIsPreActivation`).
    func backward(hidden: Matrix, mean meanOutput: Matrix, logVariance logVarianceOutput: Matrix,
                  meanGradient: Matrix, logVarianceGradient: Matrix, hiddenGradient: Matrix,
                  hiddenActivation: (Activation, Matrix)? = nil, pool: ComputePool) {
        let batch = hidden.rows
        hiddenGradient.rows = batch
        let parts = parts(batch: batch, in: pool)
        let latent = mean.outputSize
        pool.forEachIndex(parts) { part in
            let units = ComputePool.part(part, of: latent, parts: parts)
            mean.parameterGradient(input: hidden, outputGradient: meanGradient, mask: nil, units: units)
            logVariance.parameterGradient(input: hidden, outputGradient: logVarianceGradient, mask: nil, units: units)
            let rows = ComputePool.part(part, of: batch, parts: parts)
            mean.inputGradientRows(meanGradient, into: hiddenGradient, rows: rows, accumulate: false)
            logVariance.inputGradientRows(logVarianceGradient, into: hiddenGradient, rows: rows, accumulate: true)
            if let (activation, output) = hiddenActivation { activation.applyGradient(hiddenGradient, output: output, block: (rows, 0 ..< hidden.columns)) }
        }
    }

    /// The parts both heads' passes over `batch` rows split into: as for one head's product alone.
    private func parts(batch: Int, in pool: ComputePool) -> Int {
        mean.parts(batch: batch, in: pool)
    }
}
