import FileFormats
import TestSupport
import XCTest
@testable import LetterData

/// Seeded fuzzing of the image readers (PNG through libpng, PGM/PBM/PPM): mutated files must be read
/// or refused with an `ImageReadError`, never crash, and what is read has one byte per announced pixel
/// within the pixel cap.
final class ImageReaderFuzzTests: XCTestCase {
    private func mutator(_ salt: UInt64, tokens: [String] = [], focus: Range<Int>? = nil) -> FuzzMutator {
        FuzzMutator(seed: FuzzCampaign.seed &* 1_000_003 &+ 9_100 &+ salt, tokens: tokens, focus: focus)
    }

    private func check(_ image: RasterImage) {
        XCTAssertEqual(image.luminance.count, image.width * image.height)
        XCTAssertLessThanOrEqual(image.width * image.height, RasterImage.maximumPixels)
    }

    private func assertBothOutcomes(_ campaign: FuzzCampaign, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(campaign.accepted, 0, "\(campaign.name): no mutated input was accepted", file: file, line: line)
        XCTAssertGreaterThan(campaign.refused, 0, "\(campaign.name): no mutated input was refused", file: file, line: line)
    }

    func testFuzzPNG() {
        let seeds = [
            PNGTestFiles.grey(width: 6, height: 4, pixels: (0 ..< 24).map { UInt8($0 * 10) }),
            PNGTestFiles.png(width: 9, height: 7, bitDepth: 2, colourType: 0, interlaced: true) { x, y, _ in (x + y) % 4 },
            PNGTestFiles.png(width: 5, height: 5, bitDepth: 4, colourType: 3, palette: [0, 0, 0, 90, 90, 90, 255, 255, 255], transparency: [128]) { x, _, _ in x % 3 },
            PNGTestFiles.png(width: 3, height: 3, bitDepth: 16, colourType: 6) { x, y, c in (x * 9_000 + y * 300 + c) & 0xFFFF },
        ]
        // Mutations mostly hit the signature and IHDR (width, height, depth, colour type, CRC).
        var fuzz = mutator(1, tokens: ["IHDR", "IDAT", "IEND", "PLTE", "tRNS", "acTL"], focus: 0 ..< 33)
        let campaign = FuzzCampaign.run("png", mutator: &fuzz, makeCase: { $0.mutate($0.pick(seeds)) },
                                        isTyped: { $0 is ImageReadError }) { bytes in
            check(try LetterImageFile.decode(bytes, path: "fuzz.png"))
        }
        assertBothOutcomes(campaign)
    }

    func testFuzzPNM() {
        let seeds: [[UInt8]] = [
            Array("P5\n# c\n4 3\n255\n".utf8) + (0 ..< 12).map { UInt8($0 * 20) },
            Array("P2 3 2 15 0 3 6 9 12 15".utf8),
            Array("P1 3 2 101 010".utf8),
            Array("P4 9 2\n".utf8) + [0xAA, 0x80, 0x55, 0x00],
            Array("P6 2 1 65535\n".utf8) + [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        ]
        var fuzz = mutator(2, tokens: ["P5", "P1", "#", " 65535 ", "\n", " 0 ", "99999999"], focus: 0 ..< 16)
        let campaign = FuzzCampaign.run("pnm", mutator: &fuzz, makeCase: { $0.mutate($0.pick(seeds)) },
                                        isTyped: { $0 is ImageReadError }) { bytes in
            check(try LetterImageFile.decode(bytes, path: "fuzz.pgm"))
        }
        assertBothOutcomes(campaign)
    }
}
