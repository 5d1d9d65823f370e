/// One architecture of the VAE: the encoder q(z|x) and the decoder p(x|z), their parameters, and their
/// forward and backward passes. `VAEModel` builds one from a `ModelConfiguration` and adds what every
/// architecture shares (the reparameterisation, the loss and its gradient, weight I/O); nothing outside
/// the architecture's own file names one of its layers.
///
/// Adding an architecture: a new `ModelConfiguration.Kind` case, one file with a type conforming to this
/// protocol (listed in `VAEModel.networkType(for:)`), and its gradient test.
public protocol VAENetwork: AnyObject {
    /// A network of this shape with every parameter zero (`initialize` fills them).
    init(configuration: ModelConfiguration)

    var configuration: ModelConfiguration { get }

    /// Every trainable tensor, in a fixed order, named after the PyTorch module holding it
    /// (`encoder.hidden.weight`), in PyTorch's layout, so weight files load into PyTorch unchanged.
    var parameters: [Parameter] { get }

    /// Multiply-adds per image of a forward pass (encoder and decoder) and of a backward pass (weight and
    /// input gradients): the work `bench` compares with the machine's sgemm peak.
    var multiplyAddsPerImage: (forward: Int, backward: Int) { get }

    /// PyTorch's default initialisation of each layer, drawing from `generator` in `parameters` order.
    func initialize(using generator: inout SeededGenerator)

    /// Buffers for forward and backward passes over up to `batchCapacity` images, allocated once; the
    /// passes split their work over `pool`.
    func makeBatchPass(batchCapacity: Int, pool: ComputePool) -> any NetworkBatchPass

    /// A decoder for the explorer: calls no BLAS (OpenBLAS's threads may be busy training), may run on
    /// several threads at once, and holds a copy of the weights as they are when it is made.
    func makePointDecoder() -> any PointDecoder

    /// The name and PyTorch shape of every parameter a network of `configuration` has, in `parameters`
    /// order, worked out without building it: a weight file is checked against them before anything
    /// of the model's size is allocated.
    static func parameterShapes(for configuration: ModelConfiguration) -> [(name: String, shape: [Int])]

    /// The configuration of a weight file that has no metadata (one saved from PyTorch), read from its
    /// tensor names and shapes; nil when the tensors are not this architecture's.
    static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration?
}

/// The mini-batch passes of one network. Each pass keeps the activations its backward needs, so a
/// backward follows the forward of the same batch. Matrices have one row per image, row-major.
public protocol NetworkBatchPass: AnyObject {
    /// x `[B, N]` -> mean `[B, L]`, logVariance `[B, L]`.
    func encode(_ x: Matrix, mean: Matrix, logVariance: Matrix)
    /// z `[B, L]` -> logits `[B, N]` (pixel probabilities are sigmoid(logits)).
    func decode(_ z: Matrix, logits: Matrix)
    /// After `decode`: sets the decoder's parameter gradients from dL/dlogits `[B, N]` (which it may
    /// overwrite) and writes dL/dz `[B, L]` into `zGradient`.
    func decodeBackward(logitsGradient: Matrix, zGradient: Matrix)
    /// After `encode`: sets the encoder's parameter gradients from dL/dmean and dL/dlogvar `[B, L]`.
    func encodeBackward(meanGradient: Matrix, logVarianceGradient: Matrix)
}

/// Decodes latent points to pixel probabilities without BLAS.
public protocol PointDecoder: AnyObject, Sendable {
    /// `count` points `[count, L]` -> pixel probabilities `[count, N]`. Thread-safe.
    func decode(_ points: UnsafePointer<Float>, count: Int, into pixels: UnsafeMutablePointer<Float>)
}
