import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Adam (Kingma & Ba), with PyTorch's defaults and its form of the bias correction:
///
///     m = b1 m + (1 - b1) g ;  v = b2 v + (1 - b2) g²
///     p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
///
/// The update streams four arrays the size of the model (13 MB for the default VAE) in one pass, in
/// the vectorised C kernel, split over the threads of the compute pool it is given.
public final class Adam {
    /// Changed between updates by a learning-rate schedule (`LearningRateSchedule`).
    public var learningRate: Float
    public let beta1: Float = 0.9
    public let beta2: Float = 0.999
    public let epsilon: Float = 1e-8
    public private(set) var step = 0

    private let parameters: [Parameter]
    private let firstMoments: [Matrix]
    private let secondMoments: [Matrix]
    private let pool: ComputePool

    public init(parameters: [Parameter], learningRate: Float = 1e-3, pool: ComputePool) {
        self.parameters = parameters
        self.pool = pool
        self.learningRate = learningRate
        firstMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
        secondMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
    }

    /// One update of every parameter from its gradient, each parameter split in equal element ranges
    /// over the compute pool (a memory-bound pass: both cores' bandwidth).
    public func update() {
        step += 1
        let t = Float(step)
        let stepSize = learningRate / (1 - powf(beta1, t))
        let inverseRootCorrection = 1 / (1 - powf(beta2, t)).squareRoot()
        pool.run { part in
            for (index, parameter) in parameters.enumerated() {
                let range = ComputePool.part(part, of: parameter.value.count, parts: pool.threadCount)
                guard !range.isEmpty else { continue }
                let offset = range.lowerBound
                lx_adam_update(parameter.value.storage + offset, parameter.gradient.storage + offset,
                               firstMoments[index].storage + offset, secondMoments[index].storage + offset,
                               range.count, beta1, beta2, epsilon, stepSize, inverseRootCorrection)
            }
        }
    }
}
