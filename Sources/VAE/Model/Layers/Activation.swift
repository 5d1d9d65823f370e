import CKernels

/// The element-wise function a layer applies to its output, fused into its bias pass. It reaches the C
/// kernels as `code` (kernels.h's `LX_ACTIVATION_*`). Each keeps its input's sign, so its derivative is
/// read off the output the forward pass kept: the backward passes need no pre-activation.
public enum Activation: String, Sendable, CaseIterable, Codable {
    /// f(v) = v.
    case identity
    /// max(v, 0); its backward pass masks the gradient where the output is 0.
    case relu
    /// v for v > 0, `leakySlope` v otherwise (PyTorch's `nn.LeakyReLU()`); its backward pass scales the
    /// gradient by `leakySlope` where the output is negative.
    case leakyReLU = "leaky_relu"

    /// The negative side's slope of LeakyReLU, PyTorch's default (kernels.h's `LX_LEAKY_RELU_SLOPE`).
    public static let leakySlope = Float(LX_LEAKY_RELU_SLOPE)

    /// The code the C kernels take.
    public var code: Int32 {
        switch self {
        case .identity: return LX_ACTIVATION_IDENTITY
        case .relu: return LX_ACTIVATION_RELU
        case .leakyReLU: return LX_ACTIVATION_LEAKY_RELU
        }
    }

    /// f(v), for reference implementations and tests.
    public func callAsFunction(_ v: Float) -> Float {
        switch self {
        case .identity: return v
        case .relu: return max(v, 0)
        case .leakyReLU: return v > 0 ? v : v * Self.leakySlope
        }
    }

    /// Whether the bias-gradient kernels' output mask (zero where the output is not positive) is this
    /// activation's whole derivative: ReLU's. The others scale dy with `prepareGradient` first.
    var isMaskedByOutput: Bool { self == .relu }

    /// Turns dL/dy into dL/d(pre-activation) in place for the activations the bias-gradient kernels do
    /// not mask themselves (LeakyReLU), over `count` values of `gradient` and the forward's `output`;
    /// returns the output to pass those kernels as their ReLU mask, or nil.
    func prepareGradient(_ gradient: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, count: Int) -> UnsafePointer<Float>? {
        if isMaskedByOutput { return output }
        if self != .identity { lx_activation_backward(gradient, output, count, code) }
        return nil
    }

    /// Turns a block (rows, columns) of dL/dy (`gradient`, as wide as `output`) into dL/d(pre-activation)
    /// in place, from the forward's `output`: the same values `prepareGradient` and the bias-gradient
    /// kernels' mask give, for a pass that has just written that block.
    func applyGradient(_ gradient: Matrix, output: Matrix, block: (rows: Range<Int>, columns: Range<Int>)) {
        precondition(gradient.columns == output.columns)
        guard self != .identity else { return }
        gradient.forEachRun(of: block) { offset, count in
            lx_activation_backward(gradient.storage + offset, output.storage + offset, count, code)
        }
    }
}
