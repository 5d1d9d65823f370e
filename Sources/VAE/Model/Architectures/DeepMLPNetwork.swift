import CKernels
import LetterData
import Support

/// The MLP VAE with two hidden layers a side (the "bigger model"), for N pixels, widths H1 = 512 and
/// H2 = 256, and L latent dimensions:
///
///     encoder: x [N] -> hidden1 ReLU [H1] -> hidden2 ReLU [H2] -> mean [L], logvar [L]
///     decoder: z [L] -> hidden1 ReLU [H2] -> hidden2 ReLU [H1] -> output [N] logits
///
/// PyTorch module names: `encoder.hidden1`, `encoder.hidden2`, `encoder.mean`, `encoder.logvar`,
/// `decoder.hidden1`, `decoder.hidden2`, `decoder.output`, all `nn.Linear` (`DeepMLPVAE` in
/// python/latent_explorer_torch/models.py).
public final class DeepMLPNetwork: VAEArchitecture {
    public static let name = "deep-mlp"
    public static let summary = "784 -> 512 ReLU -> 256 ReLU -> latent, and back: the MLP with two hidden layers a side"
    /// H1 and H2: the encoder's widths from the image in; the decoder's are the same in reverse.
    public static let hiddenSizes = ArchitectureSetting(key: "hidden_sizes", help: "widths of the two hidden layers, from the image in",
                                                        of: name)
    public static let settings = [hiddenSizes]
    public static let bench = BenchEntry(keyPrefix: "deep_mlp_", images: 20_000, hasTorchReference: true)

    public let configuration: ModelConfiguration
    let encoderHidden1: Dense
    let encoderHidden2: Dense
    let heads: GaussianHeads
    let decoderHidden1: Dense
    let decoderHidden2: Dense
    let decoderOutput: Dense

    public init(configuration: ModelConfiguration) {
        self.configuration = configuration
        let table = Self.layerTable(for: configuration)
        encoderHidden1 = table.dense("encoder.hidden1")
        encoderHidden2 = table.dense("encoder.hidden2")
        heads = table.gaussianHeads()
        decoderHidden1 = table.dense("decoder.hidden1")
        decoderHidden2 = table.dense("decoder.hidden2")
        decoderOutput = table.dense("decoder.output")
    }

    public static func layerTable(for c: ModelConfiguration) -> LayerTable {
        let (n, l) = (c.inputSize, c.latentDim)
        let (h1, h2) = (c[hiddenSizes][0], c[hiddenSizes][1])
        return LayerTable([.dense("encoder.hidden1", n, h1, .relu), .dense("encoder.hidden2", h1, h2, .relu)]
                          + LayerTable.gaussianHeads(hiddenSize: h2, latentDim: l)
                          + [.dense("decoder.hidden1", l, h2, .relu), .dense("decoder.hidden2", h2, h1, .relu),
                             .dense("decoder.output", h1, n, .identity)])
    }

    public static func describe(_ c: ModelConfiguration) -> String {
        let (h1, h2) = (c[hiddenSizes][0], c[hiddenSizes][1])
        return "\(name) \(c.inputSize)-\(h1)-\(h2)-\(c.latentDim)-\(h2)-\(h1)-\(c.inputSize)"
    }

    private var layers: [Dense] { [encoderHidden1, encoderHidden2] + heads.layers + [decoderHidden1, decoderHidden2, decoderOutput] }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public func initialize(using generator: inout SeededGenerator) {
        for layer in layers { layer.initialize(using: &generator) }
    }

    public func makeBatchPass(batchCapacity: Int, pool: ComputePool) -> any NetworkBatchPass {
        BatchPass(network: self, batchCapacity: batchCapacity, pool: pool)
    }

    public func makePointDecoder() -> any PointDecoder { DeepMLPPointDecoder(network: self) }

    /// Sizes from `encoder.hidden1` `[H1, N]`, `encoder.hidden2` `[H2, H1]` and the mean head `[L, H2]`.
    public static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration? {
        guard let hidden1 = shapes["encoder.hidden1.weight"], hidden1.count == 2,
              let hidden2 = shapes["encoder.hidden2.weight"], hidden2.count == 2,
              let mean = shapes["encoder.mean.weight"], mean.count == 2 else { return nil }
        return ModelConfiguration(DeepMLPNetwork.self, inputSize: hidden1[1], latentDim: mean[0],
                                  settings: [hiddenSizes.key: [hidden1[0], hidden2[0]]])
    }

    /// Activations kept between forward and backward, `[B, ...]` for up to `batchCapacity` rows.
    private final class BatchPass: NetworkBatchPass {
        let network: DeepMLPNetwork
        let pool: ComputePool
        var input: Matrix?, mean: Matrix?, logVariance: Matrix?, z: Matrix?, logits: Matrix?   // the caller's
        let hidden1: Matrix, hidden1Gradient: Matrix                  // [B, H1]
        let hidden2: Matrix, hidden2Gradient: Matrix                  // [B, H2]
        let decoderHidden1: Matrix, decoderHidden1Gradient: Matrix    // [B, H2]
        let decoderHidden2: Matrix, decoderHidden2Gradient: Matrix    // [B, H1]

        init(network n: DeepMLPNetwork, batchCapacity b: Int, pool: ComputePool) {
            network = n
            self.pool = pool
            func m(_ layer: Dense) -> Matrix { Matrix(rows: b, columns: layer.outputSize) }
            (hidden1, hidden1Gradient) = (m(n.encoderHidden1), m(n.encoderHidden1))
            (hidden2, hidden2Gradient) = (m(n.encoderHidden2), m(n.encoderHidden2))
            (decoderHidden1, decoderHidden1Gradient) = (m(n.decoderHidden1), m(n.decoderHidden1))
            (decoderHidden2, decoderHidden2Gradient) = (m(n.decoderHidden2), m(n.decoderHidden2))
        }

        func encode(_ x: Matrix, classes: Matrix?, mean: Matrix, logVariance: Matrix) {
            precondition(classes == nil, "an unconditional network takes no classes")
            network.encoderHidden1.forward(x, into: hidden1, pool: pool)
            network.encoderHidden2.forward(hidden1, into: hidden2, pool: pool)
            network.heads.forward(hidden2, mean: mean, logVariance: logVariance, pool: pool)
            (input, self.mean, self.logVariance) = (x, mean, logVariance)
        }

        func decode(_ z: Matrix, classes: Matrix?, logits: Matrix) {
            precondition(classes == nil, "an unconditional network takes no classes")
            network.decoderHidden1.forward(z, into: decoderHidden1, pool: pool)
            network.decoderHidden2.forward(decoderHidden1, into: decoderHidden2, pool: pool)
            network.decoderOutput.forward(decoderHidden2, into: logits, pool: pool)
            (self.z, self.logits) = (z, logits)
        }

        func decodeBackward(logitsGradient: Matrix, zGradient: Matrix) {
            guard let z, let logits else { preconditionFailure("decodeBackward before decode") }
            network.decoderOutput.backward(input: decoderHidden2, output: logits, outputGradient: logitsGradient,
                                           inputGradient: decoderHidden2Gradient, pool: pool)
            network.decoderHidden2.backward(input: decoderHidden1, output: decoderHidden2, outputGradient: decoderHidden2Gradient,
                                            inputGradient: decoderHidden1Gradient, pool: pool)
            network.decoderHidden1.backward(input: z, output: decoderHidden1, outputGradient: decoderHidden1Gradient,
                                            inputGradient: zGradient, pool: pool)
        }

        func encodeBackward(meanGradient: Matrix, logVarianceGradient: Matrix) {
            guard let input, let mean, let logVariance else { preconditionFailure("encodeBackward before encode") }
            network.heads.backward(hidden: hidden2, mean: mean, logVariance: logVariance, meanGradient: meanGradient,
                                   logVarianceGradient: logVarianceGradient, hiddenGradient: hidden2Gradient, pool: pool)
            network.encoderHidden2.backward(input: hidden1, output: hidden2, outputGradient: hidden2Gradient,
                                            inputGradient: hidden1Gradient, pool: pool)
            network.encoderHidden1.backward(input: input, output: hidden1, outputGradient: hidden1Gradient,
                                            inputGradient: nil, pool: pool)
        }
    }
}

/// The deep MLP's decoder without BLAS, on its own copy of the decoder's three layers (made when it is:
/// training may change the network's weights meanwhile), a few points at a time.
///
/// @unchecked Sendable: its layers are copies made in `init` that nothing writes afterwards (an
/// immutable snapshot); `decode` only reads them, with its own scratch per call.
final class DeepMLPPointDecoder: PointDecoder, @unchecked Sendable {
    private let layers: [Dense]          // decoder.hidden1, decoder.hidden2, decoder.output
    private let (l, n): (Int, Int)
    /// Points decoded together: their two hidden rows stay in cache.
    static let chunk = 8

    init(network: DeepMLPNetwork) {
        let table = DeepMLPNetwork.layerTable(for: network.configuration)
        layers = ["decoder.hidden1", "decoder.hidden2", "decoder.output"].map(table.dense)
        let originals = [network.decoderHidden1, network.decoderHidden2, network.decoderOutput]
        Parameter.copyValues(from: originals.flatMap(\.parameters), to: layers.flatMap(\.parameters))
        (l, n) = (network.configuration.latentDim, network.configuration.inputSize)
    }

    func decode(_ points: UnsafePointer<Float>, classes: UnsafePointer<Int32>?, count: Int,
                into pixels: UnsafeMutablePointer<Float>) {
        precondition(classes == nil, "an unconditional decoder takes no classes")
        let chunk = min(Self.chunk, count)
        // g2 [chunk, H2] then g1 [chunk, H1].
        let (first, second) = (layers[0].outputSize * chunk, layers[1].outputSize * chunk)
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: first + second)
        defer { buffer.deallocate() }
        for start in stride(from: 0, to: count, by: chunk) {
            let m = min(chunk, count - start)
            let out = pixels + start * n
            layers[0].inferenceForward(points + start * l, count: m, into: buffer)
            layers[1].inferenceForward(buffer, count: m, into: buffer + first)
            layers[2].inferenceForward(buffer + first, count: m, into: out)
            lx_sigmoid(out, out, m * n)
        }
    }
}
