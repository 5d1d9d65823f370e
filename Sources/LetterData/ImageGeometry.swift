/// The shape of the images a model takes: height x width pixels of `channels` values each, stored
/// channel by channel (PyTorch's C x H x W), so a model's input size is the product of the three.
public struct ImageGeometry: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var height: Int
    public var width: Int
    public var channels: Int

    public init(height: Int, width: Int, channels: Int = 1) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// The data sets' images: EMNIST, MNIST and Fashion-MNIST are all 28x28 grey.
    public static let letters = ImageGeometry(height: ImageSet.side, width: ImageSet.side)

    /// Values per image (height * width * channels), or nil when the product overflows or a side is
    /// not positive: a file may declare anything.
    public var valueCount: Int? {
        guard height > 0, width > 0, channels > 0 else { return nil }
        let (area, overflow) = height.multipliedReportingOverflow(by: width)
        guard !overflow else { return nil }
        let (count, overflow2) = area.multipliedReportingOverflow(by: channels)
        return overflow2 ? nil : count
    }

    /// The geometry of a model file that does not declare one (format versions 1 and 2, PyTorch's files):
    /// 28x28 for 784 inputs, a square when `inputSize` is a perfect square, otherwise one row.
    public static func inferred(inputSize: Int) -> ImageGeometry {
        if inputSize == letters.height * letters.width { return letters }
        let side = Int(Double(max(0, inputSize)).squareRoot().rounded())
        if side * side == inputSize && side > 0 { return ImageGeometry(height: side, width: side) }
        return ImageGeometry(height: 1, width: inputSize)
    }

    /// "28x28" for grey images, "32x32x3" with channels.
    public var description: String {
        channels == 1 ? "\(height)x\(width)" : "\(height)x\(width)x\(channels)"
    }

    /// "28x28 images (784 values)": both the shape and the count, for messages that compare sizes.
    public var sizeDescription: String {
        "\(description) images (\(valueCount.map(String.init) ?? "too many") values)"
    }
}
