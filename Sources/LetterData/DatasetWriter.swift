import FileFormats
import Foundation

/// Writes image sets in the formats the loaders read: the benchmark's input files, test fixtures, and
/// a way to hand the synthetic letters to other tools (e.g. the PyTorch reference).
public enum DatasetWriter {
    /// IDX images (magic 0x803) and labels (0x801), gzip-compressed when `gzip` is true. With
    /// `transposed`, images are stored column-major as in NIST's EMNIST files.
    public static func writeIDX(_ images: ImageSet, imagesPath: String, labelsPath: String,
                                gzip: Bool, transposed: Bool) throws {
        var pixels = images.pixels
        if transposed {
            pixels = []
            pixels.reserveCapacity(images.pixels.count)
            for index in 0 ..< images.count {
                let image = images.image(index)
                for p in 0 ..< ImageSet.pixelCount { pixels.append(image[image.startIndex + ImageSet.transposedOffset(p)]) }
            }
        }
        let imageBytes = try IDXWriter.images(pixels, count: images.count, rows: ImageSet.side, columns: ImageSet.side)
        let labelBytes = try IDXWriter.labels(images.labels)
        try AtomicFile.write(gzip ? IDXWriter.gzip(imageBytes) : imageBytes, to: imagesPath)
        try AtomicFile.write(gzip ? IDXWriter.gzip(labelBytes) : labelBytes, to: labelsPath)
    }

    /// The EMNIST CSV export's layout: `label,p0,...,p783` per line, images transposed, no header.
    public static func writeCSV(_ images: ImageSet, path: String) throws {
        var out = [UInt8]()
        out.reserveCapacity(images.count * 2_000)
        func appendNumber(_ value: Int) {
            if value >= 100 { out.append(UInt8(48 + value / 100)) }
            if value >= 10 { out.append(UInt8(48 + value / 10 % 10)) }
            out.append(UInt8(48 + value % 10))
        }
        for index in 0 ..< images.count {
            appendNumber(images.labels[index])
            let image = images.image(index)
            for p in 0 ..< ImageSet.pixelCount {
                out.append(UInt8(ascii: ","))
                appendNumber(Int(image[image.startIndex + ImageSet.transposedOffset(p)]))
            }
            out.append(UInt8(ascii: "\n"))
        }
        try AtomicFile.write(out, to: path)
    }

    /// A gzip member (RFC 1952): `IDXWriter.gzip`, for the tests that build compressed inputs.
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] { IDXWriter.gzip(bytes) }
}
