import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Adam (Kingma & Ba), with PyTorch's defaults and its form of the bias correction:
///
///     m = b1 m + (1 - b1) g ;  v = b2 v + (1 - b2) g²
///     p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
///
/// The update streams four arrays the size of the model (13 MB for the default VAE) in one pass,
/// in the vectorised C kernel, with the parameters split in pieces that the cores share.
public final class Adam: @unchecked Sendable {
    public let learningRate: Float
    public let beta1: Float = 0.9
    public let beta2: Float = 0.999
    public let epsilon: Float = 1e-8
    public private(set) var step = 0

    private let parameters: [Parameter]
    private let firstMoments: [Matrix]
    private let secondMoments: [Matrix]
    /// (parameter index, element range) pieces of roughly equal size, for the cores to share.
    private let pieces: [(parameter: Int, range: Range<Int>)]

    public init(parameters: [Parameter], learningRate: Float = 1e-3) {
        self.parameters = parameters
        self.learningRate = learningRate
        firstMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
        secondMoments = parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
        let pieceSize = 1 << 16   // a multiple of 16 lanes; small arrays stay whole
        pieces = parameters.enumerated().flatMap { index, p in
            stride(from: 0, to: p.value.count, by: pieceSize).map { (index, $0 ..< min($0 + pieceSize, p.value.count)) }
        }
    }

    /// One update of every parameter from its gradient.
    public func update() {
        step += 1
        let t = Float(step)
        let stepSize = learningRate / (1 - powf(beta1, t))
        let inverseRootCorrection = 1 / (1 - powf(beta2, t)).squareRoot()
        let work = UpdateWork(adam: self, stepSize: stepSize, inverseRootCorrection: inverseRootCorrection)
        _ = Parallel.mapChunks(count: pieces.count, chunks: min(pieces.count, 2)) { range in
            for piece in range { work.apply(self.pieces[piece]) }
        }
    }

    private struct UpdateWork: @unchecked Sendable {
        let adam: Adam
        let stepSize: Float
        let inverseRootCorrection: Float

        func apply(_ piece: (parameter: Int, range: Range<Int>)) {
            let offset = piece.range.lowerBound
            lx_adam_update(adam.parameters[piece.parameter].value.storage + offset,
                           adam.parameters[piece.parameter].gradient.storage + offset,
                           adam.firstMoments[piece.parameter].storage + offset,
                           adam.secondMoments[piece.parameter].storage + offset,
                           piece.range.count, adam.beta1, adam.beta2, adam.epsilon, stepSize, inverseRootCorrection)
        }
    }
}
