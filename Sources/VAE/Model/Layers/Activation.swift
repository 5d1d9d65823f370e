/// The activation a layer applies to its output, fused into the pass that adds the bias.
public enum Activation: String, Sendable {
    case identity
    case relu
}
