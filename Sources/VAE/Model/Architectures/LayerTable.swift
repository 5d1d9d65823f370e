/// One layer of an architecture's layer table: its PyTorch module name, what it computes and its sizes.
/// The table is the one place an architecture states its shapes: the built layers, `parameterShapes`,
/// the multiply-add count and the activation memory all come from it.
public struct LayerSpec: Sendable, Hashable {
    /// What the layer computes, with the sizes of its input.
    public enum Operation: Sendable, Hashable {
        /// `nn.Linear`: x `[inputSize]` -> y `[outputSize]`, weight `[outputSize, inputSize]`.
        case dense(inputSize: Int, outputSize: Int)
        /// `nn.Conv2d` on square images: x `[inputChannels, S, S]` -> y `[outputChannels, O, O]`,
        /// O = (S + 2 padding - kernel) / stride + 1; weight `[outputChannels, inputChannels, k, k]`.
        case convolution(inputChannels: Int, outputChannels: Int, inputSide: Int, kernelSize: Int, stride: Int, padding: Int)
        /// `nn.ConvTranspose2d`: O = (S - 1) stride - 2 padding + kernel + outputPadding; weight
        /// `[inputChannels, outputChannels, k, k]`.
        case transposedConvolution(inputChannels: Int, outputChannels: Int, inputSide: Int, kernelSize: Int, stride: Int,
                                   padding: Int, outputPadding: Int)
    }

    /// The PyTorch module name, e.g. "encoder.hidden": its tensors are `<name>.weight` and `<name>.bias`.
    public let name: String
    /// What it computes, with its sizes.
    public let operation: Operation
    /// Applied to the output (fused into the bias pass).
    public let activation: Activation
    /// The layer's non-trainable tensors (PyTorch's buffers, e.g. BatchNorm's `running_mean` `[F]`), by
    /// their name under the module and their shape: saved in and loaded from weight files as
    /// `<name>.<buffer>`, never given a gradient or an optimiser's state.
    public let buffers: [Buffer]

    /// A non-trainable tensor of a layer: its name under the module and its PyTorch shape.
    public struct Buffer: Sendable, Hashable {
        public let name: String
        public let shape: [Int]
        public init(_ name: String, shape: [Int]) { (self.name, self.shape) = (name, shape) }
    }

    /// The layer `name` (its PyTorch module) computing `operation`, then `activation`, holding `buffers`.
    public init(_ name: String, _ operation: Operation, activation: Activation, buffers: [Buffer] = []) {
        self.name = name
        self.operation = operation
        self.activation = activation
        self.buffers = buffers
    }

    /// A dense layer `inputSize -> outputSize`.
    public static func dense(_ name: String, _ inputSize: Int, _ outputSize: Int, _ activation: Activation) -> LayerSpec {
        LayerSpec(name, .dense(inputSize: inputSize, outputSize: outputSize), activation: activation)
    }

    /// The side of the layer's output image (1 for a dense layer).
    public var outputSide: Int {
        switch operation {
        case .dense: return 1
        case let .convolution(_, _, s, k, stride, p):
            return Conv2D.outputSide(inputSide: s, kernelSize: k, stride: stride, padding: p)
        case let .transposedConvolution(_, _, s, k, stride, p, op):
            return ConvTranspose2D.outputSide(inputSide: s, kernelSize: k, stride: stride, padding: p, outputPadding: op)
        }
    }

    /// Values per image of the output (channels x side x side for a convolution).
    public var outputSize: Int {
        switch operation {
        case let .dense(_, output): return output
        case let .convolution(_, f, _, _, _, _), let .transposedConvolution(_, f, _, _, _, _, _): return f * outputSide * outputSide
        }
    }

    /// Weight shape in PyTorch's layout, then the bias `[outputs]`.
    public var parameterShapes: [(name: String, shape: [Int])] {
        let (weight, outputs): ([Int], Int)
        switch operation {
        case let .dense(input, output): (weight, outputs) = ([output, input], output)
        case let .convolution(c, f, _, k, _, _): (weight, outputs) = ([f, c, k, k], f)
        case let .transposedConvolution(c, f, _, k, _, _, _): (weight, outputs) = ([c, f, k, k], f)
        }
        return [(name + ".weight", weight), (name + ".bias", [outputs])]
    }

    /// Each buffer's tensor name and shape, e.g. `decoder.norm.running_mean` `[F]`.
    public var bufferShapes: [(name: String, shape: [Int])] { buffers.map { (name + "." + $0.name, $0.shape) } }

    /// Multiply-adds per image forward: the weights times the positions they are applied at (the
    /// output's for a convolution, the input's for a transposed one).
    public var multiplyAdds: Int {
        let weights = parameterShapes[0].shape.reduce(1, *)
        switch operation {
        case .dense: return weights
        case .convolution: return weights * outputSide * outputSide
        case let .transposedConvolution(_, _, s, _, _, _, _): return weights * s * s
        }
    }
}

/// An architecture's layers in parameter order, the encoder's first layer (the one reading the image)
/// first, and how the halves read their inputs. It is the network's declaration: `SequentialNetwork`
/// builds its layers, its batch passes and its point decoder from it, so a shape is written once.
///
/// The rows before the Gaussian heads (`encoder.mean`, `encoder.logvar`) are the encoder, each reading
/// the previous row's output; the rows after them are the decoder, from the latent point to the logits.
public struct LayerTable: Sendable {
    /// The layers, in parameter order.
    public let layers: [LayerSpec]
    /// C of a conditional network: each half's first layer reads its input joined with the one-hot
    /// class, [x, onehot(y)] `[N + C]` and [z, onehot(y)] `[L + C]`; 0 for an unconditional one.
    public let joinedClasses: Int

    /// The table of `layers`, in parameter order with the layer reading the image first; with
    /// `joinedClasses` C > 0, both halves' first layers read their input joined with a one-hot class.
    public init(_ layers: [LayerSpec], joinedClasses: Int = 0) {
        self.layers = layers
        self.joinedClasses = joinedClasses
    }

    /// The encoder's rows before the heads, from the image in.
    var encoderLayers: [LayerSpec] { Array(layers.prefix { $0.name != GaussianHeads.names[0] }) }

    /// The decoder's rows, from the latent point to the logits.
    var decoderLayers: [LayerSpec] {
        guard let last = layers.firstIndex(where: { $0.name == GaussianHeads.names[1] }) else { preconditionFailure("no heads in the table") }
        return Array(layers[(last + 1)...])
    }

    /// The layer named `name`; the architecture's own table must have it.
    public subscript(name: String) -> LayerSpec {
        guard let layer = layers.first(where: { $0.name == name }) else { preconditionFailure("no layer \(name) in the table") }
        return layer
    }

    /// Every parameter's name and PyTorch shape, in `parameters` order.
    public var parameterShapes: [(name: String, shape: [Int])] { layers.flatMap(\.parameterShapes) }

    /// Every buffer's name and shape, in `buffers` order.
    public var bufferShapes: [(name: String, shape: [Int])] { layers.flatMap(\.bufferShapes) }

    /// Each weight is used once forward and twice backward (dW and dx), but the first layer computes no
    /// dx: its input is the data.
    public var multiplyAddsPerImage: (forward: Int, backward: Int) {
        let forward = layers.reduce(0) { $0 + $1.multiplyAdds }
        return (forward, 2 * forward - (layers.first?.multiplyAdds ?? 0))
    }

    /// Floats a training batch keeps per image: x, its logits and their gradient (3N), the latent
    /// buffers of `TrainingStep` (7L), and each hidden layer's output and its gradient (every layer but
    /// the Gaussian heads and the last, whose outputs are the latent buffers and the logits).
    public func activationValuesPerImage(inputSize: Int, latentDim: Int) -> Int {
        let hidden = layers.dropLast().filter { !GaussianHeads.names.contains($0.name) }
        return 3 * inputSize + 7 * latentDim + 2 * hidden.reduce(0) { $0 + $1.outputSize }
    }

    /// The Gaussian heads, sized from the table's `encoder.mean` `[H -> L]`.
    func gaussianHeads() -> GaussianHeads {
        guard case let .dense(hidden, latent) = self[GaussianHeads.names[0]].operation else { preconditionFailure("the mean head is not dense") }
        return GaussianHeads(hiddenSize: hidden, latentDim: latent)
    }

    /// The two head rows of a table, `hidden -> latentDim`, in `GaussianHeads`' order.
    static func gaussianHeads(hiddenSize: Int, latentDim: Int) -> [LayerSpec] {
        GaussianHeads.names.map { .dense($0, hiddenSize, latentDim, .identity) }
    }
}

extension GaussianHeads {
    /// The heads' PyTorch module names, mean first (as `GaussianHeads.init` names them).
    static let names = ["encoder.mean", "encoder.logvar"]
}
