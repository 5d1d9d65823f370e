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

    func forward(_ hidden: Matrix, mean meanOutput: Matrix, logVariance logVarianceOutput: Matrix, pool: ComputePool) {
        mean.forward(hidden, into: meanOutput, pool: pool)
        logVariance.forward(hidden, into: logVarianceOutput, pool: pool)
    }

    /// Sets both heads' parameter gradients and overwrites `hiddenGradient` with dL/dhidden.
    func backward(hidden: Matrix, mean meanOutput: Matrix, logVariance logVarianceOutput: Matrix,
                  meanGradient: Matrix, logVarianceGradient: Matrix, hiddenGradient: Matrix, pool: ComputePool) {
        mean.backward(input: hidden, output: meanOutput, outputGradient: meanGradient, inputGradient: hiddenGradient,
                      pool: pool)
        logVariance.backward(input: hidden, output: logVarianceOutput, outputGradient: logVarianceGradient,
                             inputGradient: hiddenGradient, accumulateInputGradient: true, pool: pool)
    }
}
