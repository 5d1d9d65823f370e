import CKernels

/// The multilayer-perceptron VAE of pytorch/examples `vae/main.py` (N = 784 pixels, H = 512, L latent):
///
///     encoder: x [N] -> hidden = ReLU(W1 x + b1) [H] -> mean = Wmu hidden + bmu [L], logvar = Wlv hidden + blv [L]
///     decoder: z [L] -> g = ReLU(Wd1 z + bd1) [H] -> logits = Wd2 g + bd2 [N]
///
/// PyTorch module names: `encoder.hidden`, `encoder.mean`, `encoder.logvar`, `decoder.hidden`,
/// `decoder.output`, all `nn.Linear`.
public final class MLPNetwork: VAENetwork {
    public let configuration: ModelConfiguration
    let encoderHidden: Dense
    let heads: GaussianHeads
    let decoderHidden: Dense
    let decoderOutput: Dense

    public init(configuration: ModelConfiguration) {
        self.configuration = configuration
        let (n, h, l) = (configuration.inputSize, configuration.hiddenSize, configuration.latentDim)
        encoderHidden = Dense(name: "encoder.hidden", inputSize: n, outputSize: h, activation: .relu)
        heads = GaussianHeads(hiddenSize: h, latentDim: l)
        decoderHidden = Dense(name: "decoder.hidden", inputSize: l, outputSize: h, activation: .relu)
        decoderOutput = Dense(name: "decoder.output", inputSize: h, outputSize: n, activation: .identity)
    }

    private var layers: [Dense] { [encoderHidden] + heads.layers + [decoderHidden, decoderOutput] }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// Each layer's weight is used once forward and twice backward (dW and dx), but the first layer's
    /// dx is never computed: x is data.
    public var multiplyAddsPerImage: (forward: Int, backward: Int) {
        let forward = layers.reduce(0) { $0 + $1.weight.value.count }
        return (forward, 2 * forward - encoderHidden.weight.value.count)
    }

    public func initialize(using generator: inout SeededGenerator) {
        for layer in layers { layer.initialize(using: &generator) }
    }

    public func makeBatchPass(batchCapacity: Int, pool: ComputePool) -> any NetworkBatchPass {
        BatchPass(network: self, batchCapacity: batchCapacity, pool: pool)
    }

    public func makePointDecoder() -> any PointDecoder { MLPPointDecoder(network: self) }

    public static func parameterShapes(for c: ModelConfiguration) -> [(name: String, shape: [Int])] {
        let (n, h, l) = (c.inputSize, c.hiddenSize, c.latentDim)
        return [("encoder.hidden", h, n), ("encoder.mean", l, h), ("encoder.logvar", l, h),
                ("decoder.hidden", h, l), ("decoder.output", n, h)].flatMap { layer in
            [(layer.0 + ".weight", [layer.1, layer.2]), (layer.0 + ".bias", [layer.1])]
        }
    }

    /// Sizes from the first encoder layer `[H, N]` and the mean head `[L, H]`.
    public static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration? {
        guard let hidden = shapes["encoder.hidden.weight"], hidden.count == 2,
              let mean = shapes["encoder.mean.weight"], mean.count == 2 else { return nil }
        return ModelConfiguration(kind: .mlp, inputSize: hidden[1], hiddenSize: hidden[0], latentDim: mean[0])
    }

    /// Activations kept between forward and backward, `[B, ...]` for up to `batchCapacity` rows.
    private final class BatchPass: NetworkBatchPass {
        let network: MLPNetwork
        let pool: ComputePool
        var input: Matrix?                  // x [B, N], the caller's
        let hidden: Matrix                  // [B, H]
        let hiddenGradient: Matrix          // [B, H]
        var mean: Matrix?, logVariance: Matrix?  // [B, L], the caller's
        var z: Matrix?                      // [B, L], the caller's
        let decoderHidden: Matrix           // [B, H]
        let decoderHiddenGradient: Matrix   // [B, H]
        var logits: Matrix?                 // [B, N], the caller's

        init(network: MLPNetwork, batchCapacity: Int, pool: ComputePool) {
            self.network = network
            self.pool = pool
            let h = network.configuration.hiddenSize
            hidden = Matrix(rows: batchCapacity, columns: h)
            hiddenGradient = Matrix(rows: batchCapacity, columns: h)
            decoderHidden = Matrix(rows: batchCapacity, columns: h)
            decoderHiddenGradient = Matrix(rows: batchCapacity, columns: h)
        }

        func encode(_ x: Matrix, mean: Matrix, logVariance: Matrix) {
            network.encoderHidden.forward(x, into: hidden, pool: pool)
            network.heads.forward(hidden, mean: mean, logVariance: logVariance, pool: pool)
            (input, self.mean, self.logVariance) = (x, mean, logVariance)
        }

        func decode(_ z: Matrix, logits: Matrix) {
            network.decoderHidden.forward(z, into: decoderHidden, pool: pool)
            network.decoderOutput.forward(decoderHidden, into: logits, pool: pool)
            (self.z, self.logits) = (z, logits)
        }

        func decodeBackward(logitsGradient: Matrix, zGradient: Matrix) {
            guard let z, let logits else { preconditionFailure("decodeBackward before decode") }
            network.decoderOutput.backward(input: decoderHidden, output: logits, outputGradient: logitsGradient,
                                           inputGradient: decoderHiddenGradient, pool: pool)
            network.decoderHidden.backward(input: z, output: decoderHidden, outputGradient: decoderHiddenGradient,
                                           inputGradient: zGradient, pool: pool)
        }

        func encodeBackward(meanGradient: Matrix, logVarianceGradient: Matrix) {
            guard let input, let mean, let logVariance else { preconditionFailure("encodeBackward before encode") }
            network.heads.backward(hidden: hidden, mean: mean, logVariance: logVariance, meanGradient: meanGradient,
                                   logVarianceGradient: logVarianceGradient, hiddenGradient: hiddenGradient, pool: pool)
            network.encoderHidden.backward(input: input, output: hidden, outputGradient: hiddenGradient,
                                           inputGradient: nil, pool: pool)
        }
    }
}

/// The MLP decoder without BLAS. The output layer's weight is kept transposed, `[H, N]`, so a point
/// decodes as the sum of the rows whose hidden unit is active: ReLU leaves about half of them at zero,
/// which halves the work. Batches go through a register-blocked kernel that reuses each loaded row for
/// several points.
final class MLPPointDecoder: PointDecoder {
    private let (n, h, l): (Int, Int, Int)
    private let hiddenWeight: [Float]       // Wd1 [H, L]
    private let hiddenBias: [Float]         // bd1 [H]
    private let outputBias: [Float]         // bd2 [N]
    private let outputRows: [Float]         // Wd2 transposed, [H, N]

    init(network: MLPNetwork) {
        let c = network.configuration
        (n, h, l) = (c.inputSize, c.hiddenSize, c.latentDim)
        hiddenWeight = network.decoderHidden.weight.value.values
        hiddenBias = network.decoderHidden.bias.value.values
        outputBias = network.decoderOutput.bias.value.values
        let w = network.decoderOutput.weight.value.storage   // [N, H]
        var rows = [Float](repeating: 0, count: h * n)
        for i in 0 ..< n { for j in 0 ..< h { rows[j * n + i] = w[i * h + j] } }
        outputRows = rows
    }

    func decode(_ points: UnsafePointer<Float>, count: Int, into pixels: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: count * h)   // [count, H]
        defer { hidden.deallocate() }
        for p in 0 ..< count {
            for j in 0 ..< h {
                var s = hiddenBias[j]
                for k in 0 ..< l { s += hiddenWeight[j * l + k] * points[p * l + k] }
                hidden[p * h + j] = max(s, 0)
            }
            outputBias.withUnsafeBufferPointer { (pixels + p * n).update(from: $0.baseAddress!, count: n) }
        }
        outputRows.withUnsafeBufferPointer { rows in
            if count == 1 {
                lx_accumulate_active_rows(pixels, rows.baseAddress!, hidden, h, n)
            } else {
                lx_accumulate_active_rows_batch(pixels, rows.baseAddress!, hidden, count, h, n)
            }
        }
        lx_sigmoid(pixels, pixels, count * n)
    }
}
