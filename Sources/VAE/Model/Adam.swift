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
/// the vectorised C kernel. It stays on the training thread: splitting it with a second thread was
/// measured slower, because OpenBLAS's worker threads are still spinning on the other core.
public final class Adam: @unchecked Sendable {
    public let learningRate: Float
    public let beta1: Float = 0.9
    public let beta2: Float = 0.999
    public let epsilon: Float = 1e-8
    public private(set) var step = 0

    private let parameters: [Parameter]
    private let firstMoments: [Matrix]
    private let secondMoments: [Matrix]

    public init(parameters: [Parameter], learningRate: Float = 1e-3) {
        self.parameters = parameters
        self.learningRate = learningRate
        firstMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
        secondMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
    }

    /// One update of every parameter from its gradient.
    public func update() {
        step += 1
        let t = Float(step)
        let stepSize = learningRate / (1 - powf(beta1, t))
        let inverseRootCorrection = 1 / (1 - powf(beta2, t)).squareRoot()
        for (index, parameter) in parameters.enumerated() {
            lx_adam_update(parameter.value.storage, parameter.gradient.storage,
                           firstMoments[index].storage, secondMoments[index].storage,
                           parameter.value.count, beta1, beta2, epsilon, stepSize, inverseRootCorrection)
        }
    }
}
