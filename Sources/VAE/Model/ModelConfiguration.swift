import FileFormats
import LetterData
import Support

/// Everything needed to build a VAE: which architecture, and its sizes. Weight files carry it in their
/// metadata, and a model is rebuilt from it before its tensors are loaded.
public struct ModelConfiguration: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The architectures this program knows, by the name used on the command line and in weight files.
    public enum Kind: String, Sendable, CaseIterable, Hashable {
        /// 784 -> hidden ReLU -> (mean, logvar); latent -> hidden ReLU -> 784 logits.
        case mlp
        /// Two stride-2 convolutions and a dense layer each way, transposed convolutions back (`ConvNetwork`).
        case conv
    }

    /// The latent sizes every architecture supports.
    public static let latentDimensions = 1 ... 64
    /// Bounds that keep a model (weights, gradients and Adam's moments: 16 bytes a parameter) within
    /// a few GB, whatever a command line or a file's metadata asks for.
    public static let maximumInputSize = 128 * 128
    public static let maximumHiddenSize = 8_192
    /// The most parameters a model may have: 32 M floats are 128 MB of weights, and training keeps four
    /// copies (weights, gradients, Adam's two moments), so a model stays well within the 1 GB the
    /// program may use whatever a file declares.
    public static let maximumParameterCount = 32 << 20

    public var kind: Kind
    /// Values per image (784 for 28x28): `geometry`'s height * width * channels. The conv kind needs
    /// square grey images with a side divisible by 4.
    public var inputSize: Int
    /// The images the model takes. Files that do not declare it get `ImageGeometry.inferred(inputSize:)`.
    public var geometry: ImageGeometry
    /// Width of the dense hidden layer on each side (MLP: 512; conv: the 128 after the convolutions).
    public var hiddenSize: Int
    public var latentDim: Int
    /// Channels of the conv kind's two convolutions (32 and 64); empty for the MLP.
    public var channels: [Int]

    public init(kind: Kind = .mlp, inputSize: Int = ImageSet.pixelCount, hiddenSize: Int? = nil,
                latentDim: Int = 2, channels: [Int]? = nil, geometry: ImageGeometry? = nil) {
        self.kind = kind
        self.inputSize = inputSize
        self.geometry = geometry ?? .inferred(inputSize: inputSize)
        self.hiddenSize = hiddenSize ?? Self.defaultHiddenSize(kind)
        self.latentDim = latentDim
        self.channels = channels ?? Self.defaultChannels(kind)
    }

    /// The reference networks' sizes (`../shared/bench/vae_torch.py`).
    public static func defaultHiddenSize(_ kind: Kind) -> Int {
        switch kind {
        case .mlp: return 512
        case .conv: return 128
        }
    }

    public static func defaultChannels(_ kind: Kind) -> [Int] {
        switch kind {
        case .mlp: return []
        case .conv: return [32, 64]
        }
    }

    /// Side of the square image, when the geometry is a square of one channel.
    public var imageSide: Int? {
        geometry.height == geometry.width && geometry.channels == 1 && geometry.valueCount == inputSize ? geometry.height : nil
    }

    /// Throws `ModelError.geometryMismatch` naming both sizes unless the model takes images of `data`'s
    /// shape: the check before any image is copied into the model's input rows.
    public func checkFits(_ data: ImageGeometry) throws {
        guard geometry == data, inputSize == data.valueCount else {
            throw ModelError.geometryMismatch(model: geometry, inputSize: inputSize, data: data)
        }
    }

    /// Throws `ModelError.invalidConfiguration` unless a model of this shape can be built.
    public func validate() throws {
        func fail(_ reason: String) -> ModelError { .invalidConfiguration(reason) }
        guard Self.latentDimensions.contains(latentDim) else {
            throw fail("latent size \(latentDim) is outside \(Self.latentDimensions.lowerBound)...\(Self.latentDimensions.upperBound)")
        }
        guard (1 ... Self.maximumInputSize).contains(inputSize) else {
            throw fail("input size \(inputSize) is outside 1...\(Self.maximumInputSize)")
        }
        guard (1 ... Self.maximumHiddenSize).contains(hiddenSize) else {
            throw fail("hidden size \(hiddenSize) is outside 1...\(Self.maximumHiddenSize)")
        }
        guard let values = geometry.valueCount, values == inputSize else {
            throw fail("the image geometry \(geometry) does not hold the input size \(inputSize)")
        }
        switch kind {
        case .mlp:
            guard channels.isEmpty else { throw fail("the MLP has no convolution channels") }
        case .conv:
            guard let side = imageSide, side % 4 == 0 else {
                throw fail("the conv VAE needs square images with a side divisible by 4, not \(inputSize) pixels")
            }
            guard channels.count == 2, channels.allSatisfy({ (1 ... 1024).contains($0) }) else {
                throw fail("the conv VAE needs two channel counts in 1...1024, not \(channels)")
            }
        }
        guard let parameters = parameterCount, parameters <= Self.maximumParameterCount else {
            throw fail("\(self) has more than \(Self.maximumParameterCount) parameters")
        }
    }

    /// Floats a training batch keeps per image (activations and their gradients, the input, logits and
    /// latent buffers of `TrainingStep` and the architecture's batch pass), for sizing batches.
    public var activationValuesPerImage: Int {
        let shared = 3 * inputSize + 7 * latentDim + 4 * hiddenSize
        switch kind {
        case .mlp:
            return shared
        case .conv:
            let side = imageSide ?? 0, c1 = channels.first ?? 0, c2 = channels.last ?? 0
            return shared + 4 * c1 * (side / 2) * (side / 2) + 4 * c2 * (side / 4) * (side / 4)
        }
    }

    /// The most activation memory one batch may take: with the model itself (at most 512 MB while
    /// training), the program stays within 1 GB whatever the batch size asked for.
    public static let batchMemoryBudget = 256 << 20

    /// The largest batch whose activations fit `batchMemoryBudget` (at least 1).
    public var largestBatch: Int {
        max(1, Self.batchMemoryBudget / (MemoryLayout<Float>.size * max(1, activationValuesPerImage)))
    }

    /// Weights and biases of a model of this shape (nil when the count overflows); the configuration's
    /// sizes must already be in their ranges.
    var parameterCount: Int? {
        var total = 0
        for (_, shape) in VAEModel.parameterShapes(for: self) {
            guard let bytes = SafeTensors.byteCount(of: shape) else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(bytes / SafeTensors.bytesPerElement)
            guard !overflow else { return nil }
            total = sum
        }
        return total
    }

    public var description: String {
        switch kind {
        case .mlp:
            return "mlp \(inputSize)-\(hiddenSize)-\(latentDim)-\(hiddenSize)-\(inputSize)"
        case .conv:
            let side = imageSide ?? 0
            return "conv \(side)x\(side) c\(channels.map(String.init).joined(separator: "-"))-\(hiddenSize)-\(latentDim)"
        }
    }
}

public enum ModelError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case missingTensor(String)
    case unexpectedTensor(String)
    case shapeMismatch(String, expected: [Int], found: [Int])
    case geometryMismatch(model: ImageGeometry, inputSize: Int, data: ImageGeometry)

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason): return "invalid model: \(reason)"
        case .missingTensor(let name): return "weight file has no tensor \(TextSanitizer.quoted(name))"
        case .unexpectedTensor(let name): return "weight file has a tensor \(TextSanitizer.quoted(name)) this model does not use"
        case .shapeMismatch(let name, let expected, let found):
            return "tensor \(TextSanitizer.quoted(name)) has shape \(found), expected \(expected)"
        case .geometryMismatch(let model, let inputSize, let data):
            return "the model takes \(model) images (\(inputSize) values), the data has \(data.sizeDescription)"
        }
    }
}
