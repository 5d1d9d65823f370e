import CKernels
import LetterData
import Support

/// The multilayer-perceptron VAE of pytorch/examples `vae/main.py` (N = 784 pixels, H = 512, L latent):
///
///     encoder: x [N] -> hidden = ReLU(W1 x + b1) [H] -> mean = Wmu hidden + bmu [L], logvar = Wlv hidden + blv [L]
///     decoder: z [L] -> g = ReLU(Wd1 z + bd1) [H] -> logits = Wd2 g + bd2 [N]
///
/// PyTorch module names: `encoder.hidden`, `encoder.mean`, `encoder.logvar`, `decoder.hidden`,
/// `decoder.output`, all `nn.Linear`.
public final class MLPNetwork: VAEArchitecture {
    public static let name = "mlp"
    public static let summary = "784 -> hidden ReLU -> latent and back, as pytorch/examples vae"
    /// H, the width of the hidden layer on each side.
    public static let hiddenSize = ArchitectureSetting(key: ArchitectureSetting.hiddenSizeKey, help: "width of the hidden layer on each side",
                                                       of: name)
    public static let settings = [hiddenSize]
    public static let bench = BenchEntry(keyPrefix: "", images: LabelledDataset.emnistLettersCSVSizes.train, hasTorchReference: true)

    public let configuration: ModelConfiguration
    let encoderHidden: Dense
    let heads: GaussianHeads
    let decoderHidden: Dense
    let decoderOutput: Dense

    public init(configuration: ModelConfiguration) {
        self.configuration = configuration
        let table = Self.layerTable(for: configuration)
        encoderHidden = table.dense("encoder.hidden")
        heads = table.gaussianHeads()
        decoderHidden = table.dense("decoder.hidden")
        decoderOutput = table.dense("decoder.output")
    }

    public static func layerTable(for c: ModelConfiguration) -> LayerTable {
        let (n, h, l) = (c.inputSize, c.value(of: hiddenSize), c.latentDim)
        return LayerTable([.dense("encoder.hidden", n, h, .relu)] + LayerTable.gaussianHeads(hiddenSize: h, latentDim: l)
                          + [.dense("decoder.hidden", l, h, .relu), .dense("decoder.output", h, n, .identity)])
    }

    public static func describe(_ c: ModelConfiguration) -> String {
        let h = c.value(of: hiddenSize)
        return "mlp \(c.inputSize)-\(h)-\(c.latentDim)-\(h)-\(c.inputSize)"
    }

    private var layers: [Dense] { [encoderHidden] + heads.layers + [decoderHidden, decoderOutput] }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    public func initialize(using generator: inout SeededGenerator) {
        for layer in layers { layer.initialize(using: &generator) }
    }

    public func makeBatchPass(batchCapacity: Int, pool: ComputePool) -> any NetworkBatchPass {
        BatchPass(network: self, batchCapacity: batchCapacity, pool: pool)
    }

    public func makePointDecoder() -> any PointDecoder {
        MLPPointDecoder(hidden: decoderHidden, output: decoderOutput, latentDim: configuration.latentDim, classCount: 0)
    }

    /// Sizes from the first encoder layer `[H, N]` and the mean head `[L, H]`.
    public static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration? {
        guard let hidden = shapes["encoder.hidden.weight"], hidden.count == 2,
              let mean = shapes["encoder.mean.weight"], mean.count == 2 else { return nil }
        return .mlp(inputSize: hidden[1], hiddenSize: hidden[0], latentDim: mean[0])
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
            let h = network.encoderHidden.outputSize
            hidden = Matrix(rows: batchCapacity, columns: h)
            hiddenGradient = Matrix(rows: batchCapacity, columns: h)
            decoderHidden = Matrix(rows: batchCapacity, columns: h)
            decoderHiddenGradient = Matrix(rows: batchCapacity, columns: h)
        }

        func encode(_ x: Matrix, classes: Matrix?, mean: Matrix, logVariance: Matrix) {
            precondition(classes == nil, "an unconditional network takes no classes")
            network.encoderHidden.forward(x, into: hidden, pool: pool)
            network.heads.forward(hidden, mean: mean, logVariance: logVariance, pool: pool)
            (input, self.mean, self.logVariance) = (x, mean, logVariance)
        }

        func decode(_ z: Matrix, classes: Matrix?, logits: Matrix) {
            precondition(classes == nil, "an unconditional network takes no classes")
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

/// The MLP decoder without BLAS, for the MLP and its class-conditional twin (`CVAENetwork`). The output
/// layer's weight is kept transposed, `[H, N]`, so a point decodes as the sum of the rows whose hidden
/// unit is active: ReLU leaves about half of them at zero, which halves the work. Batches go through a
/// register-blocked kernel that reuses each loaded row for several points.
///
/// A conditional decoder's hidden layer reads [z, onehot(y)] `[L + C]`: Wd1 [z, onehot(y)] + bd1 =
/// Wd1[:, :L] z + (bd1 + Wd1[:, L + y]), so each class's bias row is summed once here and the one-hot
/// product costs nothing per point.
final class MLPPointDecoder: PointDecoder {
    private let (n, h, l, c): (Int, Int, Int, Int)   // pixels, hidden, latent, classes (0: unconditional)
    private let hiddenWeight: [Float]       // Wd1's latent columns [H, L]
    private let hiddenBiases: [Float]       // bd1 [H], or with a class, bd1 + Wd1[:, L + y] for each y: [C, H]
    private let outputBias: [Float]         // bd2 [N]
    private let outputRows: [Float]         // Wd2 transposed, [H, N]

    /// The decoder of `hidden` (`[H, L + classCount]`) and `output` (`[N, H]`).
    init(hidden: Dense, output: Dense, latentDim: Int, classCount: Int) {
        let (h, l, c) = (hidden.outputSize, latentDim, classCount)
        (n, self.h, self.l, self.c) = (output.outputSize, h, l, c)
        precondition(hidden.inputSize == l + c, "the decoder's hidden layer reads the latent point and the one-hot class")
        let (wd1, bd1, width) = (hidden.weight.value.values, hidden.bias.value.values, l + c)
        hiddenWeight = (0 ..< h).flatMap { j in wd1[j * width ..< j * width + l] }
        hiddenBiases = c == 0 ? bd1 : (0 ..< c).flatMap { y in (0 ..< h).map { j in bd1[j] + wd1[j * width + l + y] } }
        outputBias = output.bias.value.values
        let w = output.weight.value.storage   // [N, H]
        var rows = [Float](repeating: 0, count: h * output.outputSize)
        for i in 0 ..< output.outputSize { for j in 0 ..< h { rows[j * output.outputSize + i] = w[i * h + j] } }
        outputRows = rows
    }

    func decode(_ points: UnsafePointer<Float>, classes: UnsafePointer<Int32>?, count: Int,
                into pixels: UnsafeMutablePointer<Float>) {
        precondition((classes != nil) == (c > 0), c > 0 ? "a conditional decoder needs a class per point" : "an unconditional decoder takes no classes")
        guard count > 0 else { return }
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: count * h)   // [count, H]
        defer { hidden.deallocate() }
        for p in 0 ..< count {
            let y = classes.map { Int($0[p]) } ?? 0
            precondition(c == 0 || (0 ..< c).contains(y), "class index \(y) outside 0..<\(c)")
            for j in 0 ..< h {
                var s = hiddenBiases[y * h + j]
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

extension ModelConfiguration {
    /// An MLP configuration; a nil hidden size takes the default.
    public static func mlp(inputSize: Int = ImageSet.pixelCount, hiddenSize: Int? = nil, latentDim: Int = 2,
                           geometry: ImageGeometry? = nil) -> ModelConfiguration {
        ModelConfiguration(MLPNetwork.self, inputSize: inputSize, latentDim: latentDim,
                           settings: hiddenSize.map { [MLPNetwork.hiddenSize.key: [$0]] } ?? [:], geometry: geometry)
    }
}
