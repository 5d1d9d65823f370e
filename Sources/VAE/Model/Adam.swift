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
    /// Each parameter's v, in `parameters`' order (internal for the tests of the subnormals' flush).
    let secondMoments: [Matrix]
    private let pool: ComputePool

    public init(parameters: [Parameter], learningRate: Float = 1e-3, pool: ComputePool) {
        self.parameters = parameters
        self.pool = pool
        self.learningRate = learningRate
        firstMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
        secondMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
        indices = Dictionary(parameters.enumerated().map { (ObjectIdentifier($1), $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The current update's step size and inverse root bias correction (`beginUpdate`).
    private var stepSize: Float = 0, inverseRootCorrection: Float = 1
    /// Each parameter's index in `parameters`, by identity.
    private let indices: [ObjectIdentifier: Int]

    /// One update of every parameter from its gradient, each parameter split in equal element ranges
    /// over the compute pool (a memory-bound pass: both cores' bandwidth).
    public func update() {
        beginUpdate()
        updateEveryParameter()
    }

    /// The update begun by `beginUpdate`, of every parameter, in one region of the pool.
    func updateEveryParameter() {
        pool.run { part in updateShare(part, of: pool.threadCount) }
    }

    /// Starts one update that the caller runs in parts (`updateShare`, `update(_:elements:)`), each
    /// element of each parameter exactly once, in its own regions: counts the step and its corrections.
    /// Element-wise, so the result does not depend on how the elements are split.
    func beginUpdate() {
        step += 1
        let t = Float(step)
        stepSize = learningRate / (1 - powf(beta1, t))
        inverseRootCorrection = 1 / (1 - powf(beta2, t)).squareRoot()
    }

    /// Part `part` of `parts` (equal element ranges) of every parameter except `excluded` (which the
    /// caller updates by `update(_:elements:)`).
    func updateShare(_ part: Int, of parts: Int, excluding excluded: [Parameter] = []) {
        for parameter in parameters where !excluded.contains(where: { $0 === parameter }) {
            update(parameter, elements: ComputePool.part(part, of: parameter.value.count, parts: parts))
        }
    }

    /// Elements `elements` of `parameter` (one of this optimizer's).
    func update(_ parameter: Parameter, elements: Range<Int>) {
        guard let index = indices[ObjectIdentifier(parameter)] else { preconditionFailure("\(parameter.name) is not this optimizer's") }
        guard !elements.isEmpty else { return }
        let offset = elements.lowerBound
        lx_adam_update(parameter.value.storage + offset, parameter.gradient.storage + offset,
                       firstMoments[index].storage + offset, secondMoments[index].storage + offset,
                       elements.count, beta1, beta2, epsilon, stepSize, inverseRootCorrection)
    }
}
