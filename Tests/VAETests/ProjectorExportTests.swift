import FileFormats
import LetterData
import XCTest
@testable import Pictures

/// The embedding projector's files: one vector and one metadata row per letter (metadata with a
/// header), the sprite sheet with each letter at the projector's place for its index, and the config.
final class ProjectorExportTests: XCTestCase {
    private let images: ImageSet = {
        var pixels: [UInt8] = []
        for i in 0 ..< 10 { for p in 0 ..< ImageSet.pixelCount { pixels.append(UInt8((i * 25 + p % 7) % 256)) } }
        return ImageSet(pixels: pixels, labels: [1, 2, 3, 1, 2, 3, 1, 2, 3, 26])
    }()

    func testFilesHaveOneRowPerLetter() throws {
        let codes = (0 ..< 30).map { Float($0) / 4 - 1 }
        let files = Dictionary(uniqueKeysWithValues: ProjectorExport.files(images: images, codes: codes, latentDim: 3, tensorName: "codes") {
            $0 == 26 ? "z\tweird" : String(UnicodeScalar(UInt8(96 + $0)))
        }.map { ($0.name, $0.bytes) })
        XCTAssertEqual(Set(files.keys), Set(ProjectorExport.fileNames))
        let vectors = String(decoding: files["vectors.tsv"]!, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(vectors.count, 10)
        XCTAssertEqual(vectors[1].split(separator: "\t").compactMap { Float($0) }, [-0.25, 0, 0.25])
        let metadata = String(decoding: files["metadata.tsv"]!, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(metadata.first, "label\tindex")
        XCTAssertEqual(metadata.count, 11)
        XCTAssertEqual(metadata[1], "a\t0")
        XCTAssertEqual(metadata[10], "z weird\t9", "a tab in a class name would split the row")
        let config = String(decoding: files["projector_config.pbtxt"]!, as: UTF8.self)
        XCTAssertTrue(config.contains("tensor_path: \"vectors.tsv\"") && config.contains("single_image_dim: 28"))
    }

    /// 10 letters make a 4 x 4 grid: letter i at column i % 4, row i / 4.
    func testSpritePlacesEachLetterAtItsIndex() throws {
        let sheet = try PNGDecoder.decode(ProjectorExport.sprite(images), path: "sprite.png")
        XCTAssertEqual(sheet.width, 4 * 28); XCTAssertEqual(sheet.height, 4 * 28)
        for i in 0 ..< 10 {
            let image = Array(images.image(i))
            for y in 0 ..< 28 { for x in 0 ..< 28 {
                XCTAssertEqual(sheet.luminance[((i / 4) * 28 + y) * sheet.width + (i % 4) * 28 + x], image[y * 28 + x])
            } }
        }
        XCTAssertEqual(sheet.luminance[(3 * 28) * sheet.width + 3 * 28], 0, "cells after the last letter stay black")
    }

    func testConfigEscapesTheTensorName() {
        XCTAssertEqual(ProjectorExport.escaped("a \"b\" \\ é"), "a \\\"b\\\" \\\\ \\303\\251")
    }
}
