import LetterData
import Support

/// The conditional VAE (Kingma et al. 2014, "M2"; Sohn et al. 2015): the MLP of `MLPNetwork` with the
/// class y, one-hot over C classes, joined to the encoder's input and to the decoder's input, so the
/// latent code only has to hold what the class does not say (the style: slant, width, stroke, loops).
/// N = 784 pixels, H = 512, L latent:
///
///     encoder: [x, onehot(y)] [N + C] -> hidden = ReLU(W1 [x, y] + b1) [H] -> mean [L], logvar [L]
///     decoder: [z, onehot(y)] [L + C] -> g = ReLU(Wd1 [z, y] + bd1) [H] -> logits = Wd2 g + bd2 [N]
///
/// Its negative ELBO bounds -log p(x | y), not -log p(x) (`Evaluation` says so and also reports the
/// marginal over y). PyTorch module names are the MLP's: `encoder.hidden` `[H, N + C]`,
/// `encoder.mean`, `encoder.logvar`, `decoder.hidden` `[H, L + C]`, `decoder.output`, all `nn.Linear`
/// reading `torch.cat([x, one_hot(y)], 1)` and `torch.cat([z, one_hot(y)], 1)`.
public final class CVAENetwork: VAEArchitecture {
    public static let name = "cvae"
    public static let summary = "the mlp with a one-hot class joined to the encoder's and the decoder's input (conditional VAE)"
    /// C, the classes the model is conditioned on: the letters a...z by default. `train` takes it from
    /// the data set's classes.
    public static let classCount = ArchitectureSetting(
        key: ArchitectureSetting.classCountKey, help: "classes the encoder and decoder read as a one-hot vector", of: name)
    /// H, the width of the hidden layer on each side, as the MLP's.
    public static let hiddenSize = ArchitectureSetting(key: ArchitectureSetting.hiddenSizeKey, help: "width of the hidden layer on each side",
                                                       of: name)
    public static let settings = [hiddenSize, classCount]
    public static let bench = BenchEntry(keyPrefix: "cvae_", images: LabelledDataset.emnistLettersCSVSizes.train,
                                         hasTorchReference: true)

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
        let (n, h, l, classes) = (c.inputSize, c.value(of: hiddenSize), c.latentDim, c.value(of: classCount))
        return LayerTable([.dense("encoder.hidden", n + classes, h, .relu)] + LayerTable.gaussianHeads(hiddenSize: h, latentDim: l)
                          + [.dense("decoder.hidden", l + classes, h, .relu), .dense("decoder.output", h, n, .identity)])
    }

    public static func describe(_ c: ModelConfiguration) -> String {
        let h = c.value(of: hiddenSize)
        return "cvae \(c.inputSize)+\(c.classCount)-\(h)-\(c.latentDim)+\(c.classCount)-\(h)-\(c.inputSize)"
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
        MLPPointDecoder(hidden: decoderHidden, output: decoderOutput, latentDim: configuration.latentDim,
                        classCount: configuration.classCount)
    }

    /// Sizes from the output layer `[N, H]`, the mean head `[L, H]` and the two hidden layers, which
    /// read C more inputs than the image and the latent point: `[H, N + C]`, `[H, L + C]`. Nil unless
    /// both say the same C > 0 (an MLP's file has C = 0).
    public static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration? {
        guard let hidden = shapes["encoder.hidden.weight"], hidden.count == 2,
              let mean = shapes["encoder.mean.weight"], mean.count == 2,
              let decoder = shapes["decoder.hidden.weight"], decoder.count == 2,
              let output = shapes["decoder.output.weight"], output.count == 2 else { return nil }
        let (n, l) = (output[0], mean[0])
        let classes = hidden[1] - n
        guard classes > 0, decoder[1] - l == classes else { return nil }
        return .cvae(inputSize: n, hiddenSize: hidden[0], latentDim: l, classCount: classes)
    }

    /// Activations kept between forward and backward, `[B, ...]` for up to `batchCapacity` rows.
    private final class BatchPass: NetworkBatchPass {
        let network: CVAENetwork
        let pool: ComputePool
        let encoderInput: Matrix            // [x, y] [B, N + C]
        let hidden: Matrix                  // [B, H]
        let hiddenGradient: Matrix          // [B, H]
        var mean: Matrix?, logVariance: Matrix?  // [B, L], the caller's
        let decoderInput: Matrix            // [z, y] [B, L + C]
        let decoderInputGradient: Matrix    // [B, L + C]; its first L columns are dL/dz
        let decoderHidden: Matrix           // [B, H]
        let decoderHiddenGradient: Matrix   // [B, H]
        var logits: Matrix?                 // [B, N], the caller's

        init(network: CVAENetwork, batchCapacity: Int, pool: ComputePool) {
            self.network = network
            self.pool = pool
            let h = network.encoderHidden.outputSize
            encoderInput = Matrix(rows: batchCapacity, columns: network.encoderHidden.inputSize)
            hidden = Matrix(rows: batchCapacity, columns: h)
            hiddenGradient = Matrix(rows: batchCapacity, columns: h)
            decoderInput = Matrix(rows: batchCapacity, columns: network.decoderHidden.inputSize)
            decoderInputGradient = Matrix(rows: batchCapacity, columns: network.decoderHidden.inputSize)
            decoderHidden = Matrix(rows: batchCapacity, columns: h)
            decoderHiddenGradient = Matrix(rows: batchCapacity, columns: h)
        }

        func encode(_ x: Matrix, classes: Matrix?, mean: Matrix, logVariance: Matrix) {
            guard let classes else { preconditionFailure("a conditional network needs the classes") }
            encoderInput.joinColumns(x, classes)
            network.encoderHidden.forward(encoderInput, into: hidden, pool: pool)
            network.heads.forward(hidden, mean: mean, logVariance: logVariance, pool: pool)
            (self.mean, self.logVariance) = (mean, logVariance)
        }

        func decode(_ z: Matrix, classes: Matrix?, logits: Matrix) {
            guard let classes else { preconditionFailure("a conditional network needs the classes") }
            decoderInput.joinColumns(z, classes)
            network.decoderHidden.forward(decoderInput, into: decoderHidden, pool: pool)
            network.decoderOutput.forward(decoderHidden, into: logits, pool: pool)
            self.logits = logits
        }

        func decodeBackward(logitsGradient: Matrix, zGradient: Matrix) {
            guard let logits else { preconditionFailure("decodeBackward before decode") }
            network.decoderOutput.backward(input: decoderHidden, output: logits, outputGradient: logitsGradient,
                                           inputGradient: decoderHiddenGradient, pool: pool)
            network.decoderHidden.backward(input: decoderInput, output: decoderHidden, outputGradient: decoderHiddenGradient,
                                           inputGradient: decoderInputGradient, pool: pool)
            // dL/d[z, y]: the class columns are an input's, not a parameter's, and are dropped.
            zGradient.copyColumns(of: decoderInputGradient)
        }

        func encodeBackward(meanGradient: Matrix, logVarianceGradient: Matrix) {
            guard let mean, let logVariance else { preconditionFailure("encodeBackward before encode") }
            network.heads.backward(hidden: hidden, mean: mean, logVariance: logVariance, meanGradient: meanGradient,
                                   logVarianceGradient: logVarianceGradient, hiddenGradient: hiddenGradient, pool: pool)
            network.encoderHidden.backward(input: encoderInput, output: hidden, outputGradient: hiddenGradient,
                                           inputGradient: nil, pool: pool)
        }
    }
}

extension ModelConfiguration {
    /// A conditional VAE configuration of `classCount` classes; a nil hidden size takes the default.
    public static func cvae(inputSize: Int = ImageSet.pixelCount, hiddenSize: Int? = nil, latentDim: Int = 2,
                            classCount: Int = CVAENetwork.classCount.defaultValues[0],
                            geometry: ImageGeometry? = nil) -> ModelConfiguration {
        var settings = [CVAENetwork.classCount.key: [classCount]]
        if let hiddenSize { settings[CVAENetwork.hiddenSize.key] = [hiddenSize] }
        return ModelConfiguration(CVAENetwork.self, inputSize: inputSize, latentDim: latentDim, settings: settings, geometry: geometry)
    }
}
