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
public final class CVAENetwork: SequentialNetwork, VAEArchitecture {
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

    /// The settings as one value: H and C.
    public struct Settings: ArchitectureSettings {
        public var hiddenSize: Int
        public var classCount: Int
        public init(hiddenSize: Int, classCount: Int) { (self.hiddenSize, self.classCount) = (hiddenSize, classCount) }
    }
    public static let bench = BenchEntry(keyPrefix: "cvae_", images: LabelledDataset.emnistLettersCSVSizes.train,
                                         hasTorchReference: true)

    public init(configuration: ModelConfiguration) {
        super.init(configuration: configuration, table: Self.layerTable(for: configuration))
    }

    public static func layerTable(for c: ModelConfiguration) -> LayerTable {
        let settings = settings(of: c)
        let (n, h, l, classes) = (c.inputSize, settings.hiddenSize, c.latentDim, settings.classCount)
        return LayerTable([.dense("encoder.hidden", n + classes, h, .relu)] + LayerTable.gaussianHeads(hiddenSize: h, latentDim: l)
                          + [.dense("decoder.hidden", l + classes, h, .relu), .dense("decoder.output", h, n, .identity)],
                          joinedClasses: classes)
    }

    public static func describe(_ c: ModelConfiguration) -> String {
        let h = settings(of: c).hiddenSize
        return "cvae \(c.inputSize)+\(c.classCount)-\(h)-\(c.latentDim)+\(c.classCount)-\(h)-\(c.inputSize)"
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
