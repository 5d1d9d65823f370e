/// The element-wise function a layer applies to its output, fused into its bias pass.
public enum Activation: String, Sendable {
    case identity
    /// max(x, 0); its backward pass masks the gradient where the output is 0.
    case relu
}
