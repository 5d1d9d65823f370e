import FileFormats
import Foundation
import LetterData

/// The files TensorBoard's embedding projector opens (`tensorboard --logdir DIR`, the Projector tab):
/// the test letters' latent means, their labels, a sprite sheet of the letters and the config that
/// ties them together. Pure: `files` returns names and bytes; the command writes them.
public enum ProjectorExport {
    public static let vectorsName = "vectors.tsv"
    public static let metadataName = "metadata.tsv"
    public static let spriteName = "sprite.png"
    public static let configName = "projector_config.pbtxt"
    public static var fileNames: [String] { [vectorsName, metadataName, spriteName, configName] }

    /// The projector loads sprite sheets of at most 8192 x 8192 pixels: 292 x 292 letters of 28 pixels.
    public static let maximumSpriteSide = 8192
    public static var maximumCount: Int { let perSide = maximumSpriteSide / ImageSet.side; return perSide * perSide }

    /// The four files for `images` (the letters) and their `codes` (`[count, latentDim]` row-major).
    /// `className` names a label. Sprites are the letters as the data stores them: light ink on dark.
    public static func files(images: ImageSet, codes: [Float], latentDim: Int, tensorName: String,
                             className: (Int) -> String) -> [(name: String, bytes: [UInt8])] {
        precondition(images.count > 0 && images.count <= maximumCount && codes.count == images.count * latentDim,
                     "one code per image, and at most a sprite sheet's worth")
        var vectors = ""
        vectors.reserveCapacity(images.count * latentDim * 10)
        for i in 0 ..< images.count {
            vectors += (0 ..< latentDim).map { String(codes[i * latentDim + $0]) }.joined(separator: "\t") + "\n"
        }
        // A header row, as the projector expects when there is more than one column.
        var metadata = "label\tindex\n"
        for i in 0 ..< images.count { metadata += "\(tsvField(className(images.labels[i])))\t\(i)\n" }
        return [(vectorsName, Array(vectors.utf8)), (metadataName, Array(metadata.utf8)),
                (spriteName, sprite(images)), (configName, Array(config(tensorName: tensorName).utf8))]
    }

    /// The letters in a square grid, row-major from the top left, as the projector indexes sprites;
    /// the grid's side is ceil(sqrt(count)) letters, and the cells after the last letter stay black.
    public static func sprite(_ images: ImageSet) -> [UInt8] {
        let side = ImageSet.side
        let perSide = Int(Double(images.count).squareRoot().rounded(.up))
        let width = perSide * side
        var pixels = [UInt8](repeating: 0, count: width * width)
        for i in 0 ..< images.count {
            let image = images.image(i)
            let left = (i % perSide) * side, top = (i / perSide) * side
            for y in 0 ..< side {
                for x in 0 ..< side { pixels[(top + y) * width + left + x] = image[image.startIndex + y * side + x] }
            }
        }
        return PNGEncoder.encodeGray(width: width, height: width, pixels: pixels)
    }

    /// The projector's config in protobuf text format (tensorboard.plugins.projector.ProjectorConfig).
    public static func config(tensorName: String) -> String {
        """
        embeddings {
          tensor_name: "\(escaped(tensorName))"
          tensor_path: "\(vectorsName)"
          metadata_path: "\(metadataName)"
          sprite {
            image_path: "\(spriteName)"
            single_image_dim: \(ImageSet.side)
            single_image_dim: \(ImageSet.side)
          }
        }

        """
    }

    /// A protobuf text string's content: quotes, backslashes and anything outside printable ASCII escaped.
    static func escaped(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x20 ..< 0x7F: out.append(Character(UnicodeScalar(byte)))
            default: out += "\\" + String(byte, radix: 8).leftPadded(to: 3)
            }
        }
        return out
    }

    /// A TSV field: tabs and line breaks would split the row, so they become spaces.
    static func tsvField(_ text: String) -> String {
        String(text.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
