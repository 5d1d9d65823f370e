import ArgumentParser
import FileFormats
import Foundation
import Pictures

/// The options every picture command shares: where to write (the format follows the extension) and
/// how large.
struct PictureOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("The picture to write: a .png, an .svg (vector tiles, crisp at any size), or .idx / .idx.gz (the images as MNIST-style IDX data, upright, in reading order).",
                                                    valueName: "file"))
    var out: String

    @Option(help: ArgumentHelp("Output pixels per image pixel (\(Self.scaleRange.lowerBound)-\(Self.scaleRange.upperBound); default: 2, or 4 for interpolate).",
                               valueName: "n"))
    var scale: Int?

    @Flag(help: "Replace --out even when it holds something other than a file of its format (PNG, SVG, IDX, gzip), or lies in the shipped Weights/.") var force = false

    static let scaleRange = OptionRanges.scale

    func validate() throws {
        if PictureFormat(path: out) == nil {
            // One line, not the usage block: the rest of the command line was fine.
            FileHandle.printError("Error: " + PictureFormat.refusal(out))
            throw ExitCode(ExitCode.validationFailure.rawValue)
        }
        if let scale, !Self.scaleRange.contains(scale) {
            throw ValidationError("--scale must be between \(Self.scaleRange.lowerBound) and \(Self.scaleRange.upperBound)")
        }
        // Before any work: a picture that could not be written is refused now, not after it is drawn.
        try CLIError.wrap { try AtomicFile.checkWritable(out, bytes: 0, policy: policy) }
    }

    /// The write policy of --out: a picture of its format replaces only one of that format (`WritePolicy`).
    var policy: WritePolicy { .output((PictureFormat(path: out) ?? .png).outputKind, force: force) }

    /// The last part of a path, for picture titles.
    static func fileName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }

    /// Encodes and writes `picture` atomically; returns how big it came out, e.g. "612x644 pixels", or
    /// "IDX, 400 images of 28x28".
    func write(_ picture: TilePicture, defaultScale: Int = 2) throws -> String {
        let format = PictureFormat(path: out) ?? .png
        let scale = self.scale ?? defaultScale
        let layout = picture.layout
        if let problem = format.sizeProblem(picture, scale: scale) { throw CLIError(problem) }
        try StatusLine.run("Writing \(out)…") {
            try CLIError.wrap { try AtomicFile.write(format.encode(picture, scale: scale), to: out, policy: policy) }
        }
        if format.isImageData {
            let images = picture.images
            return "\(format == .idx ? "IDX" : "gzipped IDX"), \(images.count) images of \(images.width)x\(images.height)"
        }
        let size = "\(layout.width * scale)x\(layout.height * scale)"
        return format == .svg ? "SVG, \(size) at scale \(scale)" : "\(size) pixels"
    }
}
