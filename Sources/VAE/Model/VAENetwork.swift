import Support

/// One architecture of the VAE: the encoder q(z|x) and the decoder p(x|z), their parameters, and their
/// forward and backward passes. `VAEModel` builds one from a `ModelConfiguration` and adds what every
/// architecture shares (the reparameterisation, the loss and its gradient, weight I/O); nothing outside
/// the architecture's own file names one of its layers.
///
/// Adding an architecture:
/// 1. One file in `Sources/VAE/Model/Architectures/` with a final class conforming to `VAEArchitecture`
///    (which refines this protocol). It declares the `name` used by `--arch` and weight files, a one-line
///    `summary`, its `settings` (`ArchitectureSetting`: metadata key, help, default, range), its `bench`
///    entry, and one `layerTable(for:)` (`LayerTable` of `LayerSpec`s, named after the PyTorch modules)
///    from which its `init` builds the layers (`table.dense("encoder.hidden")`...) and from which
///    `parameterShapes`, multiply-adds and batch memory derive. It also writes `describe`,
///    `inferConfiguration(from:)`, `validate` when it needs more than the settings' ranges, and its
///    batch pass and point decoder.
/// 2. Its type in `Architectures.all`.
/// 3. Its finite-difference gradient test (`GradientCheck`), and its PyTorch twin in
///    `python/latent_explorer_torch/models.py`, registered in `ARCHITECTURES` there.
/// Metadata, `--arch`, `--setting`, `bench` and weight-file checks then know it with no other change.
public protocol VAENetwork: AnyObject {
    /// A network of this shape with every parameter zero (`initialize` fills them).
    init(configuration: ModelConfiguration)

    var configuration: ModelConfiguration { get }

    /// Every trainable tensor, in a fixed order, named after the PyTorch module holding it
    /// (`encoder.hidden.weight`), in PyTorch's layout, so weight files load into PyTorch unchanged.
    var parameters: [Parameter] { get }

    /// Every non-trainable tensor (PyTorch's buffers: running statistics), named as the parameters are:
    /// saved and loaded with them, never trained.
    var buffers: [Parameter] { get }

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
}

/// The mini-batch passes of one network. Each pass keeps the activations its backward needs, so a
/// backward follows the forward of the same batch. Matrices have one row per image, row-major.
///
/// `classes` is what a conditional network (`ModelConfiguration.classCount` C > 0) is conditioned on:
/// each row's class as a one-hot row `[B, C]`, the same matrix for the encoder and the decoder of one
/// batch. An unconditional network is given nil. The labels are inputs, not parameters: no gradient
/// flows to them.
public protocol NetworkBatchPass: AnyObject {
    /// x `[B, N]` (and classes `[B, C]`) -> mean `[B, L]`, logVariance `[B, L]`: q(z | x) or q(z | x, y).
    func encode(_ x: Matrix, classes: Matrix?, mean: Matrix, logVariance: Matrix)
    /// z `[B, L]` (and classes `[B, C]`) -> logits `[B, N]` (pixel probabilities are sigmoid(logits)):
    /// p(x | z) or p(x | z, y).
    func decode(_ z: Matrix, classes: Matrix?, logits: Matrix)
    /// After `decode`: sets the decoder's parameter gradients from dL/dlogits `[B, N]` (which it may
    /// overwrite) and writes dL/dz `[B, L]` into `zGradient`.
    func decodeBackward(logitsGradient: Matrix, zGradient: Matrix)
    /// After `encode`: sets the encoder's parameter gradients from dL/dmean and dL/dlogvar `[B, L]`.
    func encodeBackward(meanGradient: Matrix, logVarianceGradient: Matrix)
    /// `decode` for rows that fall into `groups` groups of nearby latent points (row r in group
    /// r mod `groups`: the importance-weighted bound's samples of one image). A pass may leave a
    /// group's inputs that are zero in all its rows out of a layer's product
    /// (`Dense.forward(_:into:skippingInputsZeroInEachOf:pool:)`): the same logits up to float
    /// summation order. Not followed by `decodeBackward`.
    func decode(_ z: Matrix, classes: Matrix?, logits: Matrix, groupedBy groups: Int)
    /// `decode(_:classes:logits:groupedBy:)` that, where the network can, writes each row's Bernoulli
    /// log-likelihood of its group's image (`images` `[groups, N]`) into `into[row]` instead of the
    /// logits (the output layer's logits then never reach memory, and `logits` is not written): returns
    /// whether it did; false when it decoded the logits only.
    func decodeLikelihoods(_ z: Matrix, classes: Matrix?, logits: Matrix, groupedBy groups: Int, images: Matrix,
                           into: UnsafeMutablePointer<Double>) -> Bool
}

extension NetworkBatchPass {
    /// The logits only: a network without a fused output layer.
    public func decodeLikelihoods(_ z: Matrix, classes: Matrix?, logits: Matrix, groupedBy groups: Int, images: Matrix,
                                  into: UnsafeMutablePointer<Double>) -> Bool {
        decode(z, classes: classes, logits: logits, groupedBy: groups)
        return false
    }
}

/// Decodes latent points to pixel probabilities without BLAS.
public protocol PointDecoder: AnyObject, Sendable {
    /// `count` points `[count, L]` -> pixel probabilities `[count, N]`. Thread-safe. `classes` holds one
    /// class index in 0..<C per point for a conditional model (a conditional model given nil, or an
    /// unconditional one given classes, is a programming error caught by a precondition).
    func decode(_ points: UnsafePointer<Float>, classes: UnsafePointer<Int32>?, count: Int,
                into pixels: UnsafeMutablePointer<Float>)
}

extension PointDecoder {
    /// An unconditional model's decode: no classes.
    public func decode(_ points: UnsafePointer<Float>, count: Int, into pixels: UnsafeMutablePointer<Float>) {
        decode(points, classes: nil, count: count, into: pixels)
    }
}
