import FileFormats
import Foundation
import LetterData
import TestSupport
import XCTest

/// The PNG (libpng) and PGM/PBM/PPM readers `encode` uses: round trips through two independent
/// writers, every PNG kind (bit depths, colour types, palette, alpha, tRNS, interlacing), and the
/// hostile corpus, each refused in one line naming the file.
final class ImageReaderTests: XCTestCase {
    private let pattern: [UInt8] = (0 ..< 35).map { UInt8(($0 * 37 + 11) % 256) }   // 7 x 5, every value different

    func testPNGEncoderRoundTrip() throws {
        let grey = try PNGDecoder.decode(PNGEncoder.encodeGray(width: 7, height: 5, pixels: pattern), path: "g.png")
        XCTAssertEqual(grey, RasterImage(width: 7, height: 5, luminance: pattern))
        let rgb = pattern.flatMap { [$0, $0, $0] }   // grey in RGB stays the same grey
        XCTAssertEqual(try PNGDecoder.decode(PNGEncoder.encodeRGB(width: 7, height: 5, pixels: rgb), path: "c.png").luminance, pattern)
    }

    /// Every bit depth of grey up to 8, interlaced or not, reads back the same levels scaled to 0...255.
    func testEveryGreyBitDepthAndInterlacing() throws {
        for depth in [1, 2, 4, 8] {
            let top = (1 << depth) - 1
            for interlaced in [false, true] {
                let bytes = PNGTestFiles.png(width: 13, height: 9, bitDepth: depth, colourType: 0, interlaced: interlaced) { x, y, _ in (x * 3 + y * 5) % (top + 1) }
                let image = try PNGDecoder.decode(bytes, path: "d\(depth).png")
                XCTAssertEqual(image.width, 13); XCTAssertEqual(image.height, 9)
                for y in 0 ..< 9 {
                    for x in 0 ..< 13 {
                        let expected = Double((x * 3 + y * 5) % (top + 1)) / Double(top) * 255
                        XCTAssertEqual(Double(image.luminance[y * 13 + x]), expected, accuracy: 1.01, "depth \(depth) interlaced \(interlaced) at \(x),\(y)")
                    }
                }
            }
        }
    }

    /// 16-bit samples are taken as linear light (libpng's simplified API does so without a gAMA chunk)
    /// and encoded as sRGB: black and white stay, and brighter samples never read darker.
    func testSixteenBitGrey() throws {
        for interlaced in [false, true] {
            let bytes = PNGTestFiles.png(width: 11, height: 3, bitDepth: 16, colourType: 0, interlaced: interlaced) { x, _, _ in x * 6_553 + (x == 10 ? 5 : 0) }
            let row = Array(try PNGDecoder.decode(bytes, path: "s.png").luminance.prefix(11))
            XCTAssertEqual(row.first, 0); XCTAssertEqual(row.last, 255)
            XCTAssertEqual(row, row.sorted(), "monotonic")
        }
    }

    func testColourPaletteAndAlpha() throws {
        // RGB: pure red's luma is 76 (0.299 * 255).
        let red = try PNGDecoder.decode(PNGTestFiles.png(width: 2, height: 2, bitDepth: 8, colourType: 2) { _, _, c in c == 0 ? 255 : 0 }, path: "r.png")
        XCTAssertEqual(red.luminance, [76, 76, 76, 76])
        // A palette of black and white, 1 bit per index, with index 1 (white) used on the diagonal.
        let palette = try PNGDecoder.decode(PNGTestFiles.png(width: 3, height: 3, bitDepth: 1, colourType: 3, palette: [0, 0, 0, 255, 255, 255]) { x, y, _ in x == y ? 1 : 0 },
                                            path: "p.png")
        XCTAssertEqual(palette.luminance, [255, 0, 0, 0, 255, 0, 0, 0, 255])
        // Grey + alpha: black fully transparent is seen as white paper, black opaque as black, half as mid grey.
        let alpha = try PNGDecoder.decode(PNGTestFiles.png(width: 3, height: 1, bitDepth: 8, colourType: 4) { x, _, c in c == 0 ? 0 : [0, 255, 128][x] }, path: "a.png")
        XCTAssertEqual(alpha.luminance[0], 255); XCTAssertEqual(alpha.luminance[1], 0)
        XCTAssertEqual(Double(alpha.luminance[2]), 127, accuracy: 2)
        // RGBA 16-bit and a palette with tRNS: transparency over white again.
        let rgba16 = try PNGDecoder.decode(PNGTestFiles.png(width: 1, height: 1, bitDepth: 16, colourType: 6) { _, _, c in c == 3 ? 0 : 0 }, path: "x.png")
        XCTAssertEqual(rgba16.luminance, [255])
        let trns = try PNGDecoder.decode(PNGTestFiles.png(width: 2, height: 1, bitDepth: 8, colourType: 3, palette: [0, 0, 0, 0, 0, 0], transparency: [0, 255]) { x, _, _ in x },
                                         path: "t.png")
        XCTAssertEqual(trns.luminance, [255, 0])
    }

    func testPNMRoundTrips() throws {
        let header = "P5\n# a comment\n7 5\n255\n"
        XCTAssertEqual(try PNMDecoder.decode(Array(header.utf8) + pattern, path: "p.pgm").luminance, pattern)
        let text = "P2 7 5 255 " + pattern.map(String.init).joined(separator: " ")
        XCTAssertEqual(try PNMDecoder.decode(Array(text.utf8), path: "t.pgm").luminance, pattern)
        // 16-bit PGM: maxval 1000, two bytes a sample.
        let wide = try PNMDecoder.decode(Array("P5 2 1 1000\n".utf8) + [0x03, 0xE8, 0x01, 0xF4], path: "w.pgm")
        XCTAssertEqual(wide.luminance, [255, 128])
        // PBM: 1 is black. P1 digits may touch; P4 rows are padded to whole bytes.
        XCTAssertEqual(try PNMDecoder.decode(Array("P1 3 2 101\n010".utf8), path: "b.pbm").luminance, [0, 255, 0, 255, 0, 255])
        XCTAssertEqual(try PNMDecoder.decode(Array("P4 3 2\n".utf8) + [0b1010_0000, 0b0100_0000], path: "b.pbm").luminance, [0, 255, 0, 255, 0, 255])
        // PPM: pure green's luma is 150.
        XCTAssertEqual(try PNMDecoder.decode(Array("P6 1 1 255\n".utf8) + [0, 255, 0], path: "c.ppm").luminance, [150])
        XCTAssertEqual(try PNMDecoder.decode(Array("P3 1 1 255 0 255 0".utf8), path: "c.ppm").luminance, [150])
    }

    func testMalformedPNM() {
        func refusal(_ text: String, _ tail: [UInt8] = []) -> ImageReadError? {
            do { _ = try PNMDecoder.decode(Array(text.utf8) + tail, path: "x.pgm"); return nil } catch { return error as? ImageReadError }
        }
        XCTAssertEqual(refusal("P5 7 5 255\n", [1, 2, 3]), .truncated(path: "x.pgm"))
        XCTAssertEqual(refusal("P5 0 5 255\n"), .badDimensions(path: "x.pgm", width: 0, height: 5))
        XCTAssertEqual(refusal("P5 100000 100000 255\n"), .badDimensions(path: "x.pgm", width: 100_000, height: 100_000))
        XCTAssertEqual(refusal("P5 1 1 70000\n", [0, 0]), .malformedPNM(path: "x.pgm", reason: "maxval 70000 is outside 1...65535"))
        XCTAssertEqual(refusal("P2 1 1 10 11"), .malformedPNM(path: "x.pgm", reason: "a sample of 11 is above maxval 10"))
        XCTAssertEqual(refusal("P5 x 1 255\n"), .malformedPNM(path: "x.pgm", reason: "expected the width as a decimal number"))
        XCTAssertEqual(refusal("P1 2 1 12"), .malformedPNM(path: "x.pgm", reason: "a P1 bitmap holds only 0 and 1"))
        XCTAssertEqual(refusal("P5 1234567890 1 255\n"), .malformedPNM(path: "x.pgm", reason: "the width has more than 9 digits"))
        XCTAssertEqual(refusal("P7 1 1"), .unknownFormat(path: "x.pgm"))
    }

    /// The hostile corpus through the file reader: every file gets one line or a picture, and nothing
    /// allocates what a header claims (a 100000x100000 header would need 40 GB of RGBA).
    func testHostileCorpus() throws {
        var outcomes: [String: String] = [:]
        for (name, bytes) in PNGTestFiles.hostileCorpus() {
            let path = temporaryPath(name)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                let image = try LetterImageFile.read(path)
                outcomes[name] = "read \(image.width)x\(image.height)"
            } catch let error as ImageReadError {
                let line = error.description
                XCTAssertFalse(line.contains("\n"), name)
                XCTAssertTrue(line.contains(name), "\(name): the message names the file: \(line)")
                outcomes[name] = line
            }
        }
        XCTAssertEqual(outcomes["sixteen-bit.png"], "read 5x3")
        XCTAssertEqual(outcomes["animated.png"], "read 4x4", "an APNG is read as its default image")
        XCTAssertTrue(outcomes["huge.png"]!.contains("announces 100000x100000 pixels"), outcomes["huge.png"]!)
        XCTAssertTrue(outcomes["text.png"]!.contains("is not a PNG, PGM or PBM image"))
        XCTAssertTrue(outcomes["empty.png"]!.contains("is not a PNG, PGM or PBM image"))
        XCTAssertTrue(outcomes["truncated.png"]!.contains("truncated") || outcomes["truncated.png"]!.contains("not a readable PNG"), outcomes["truncated.png"]!)
        XCTAssertTrue(outcomes["bad-crc.png"]!.lowercased().contains("crc"), outcomes["bad-crc.png"]!)
        for name in ["signature-only.png", "zero-width.png", "bad-filter.png", "bad-depth.png", "no-idat.png"] {
            XCTAssertFalse(outcomes[name]!.hasPrefix("read"), "\(name) was accepted")
        }
    }

    func testFileTooLargeIsRefusedFromItsSize() throws {
        let path = temporaryPath("big.png")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(LetterImageFile.maximumFileBytes + 1))   // sparse: no disk used
        try handle.close()
        XCTAssertThrowsError(try LetterImageFile.read(path)) { error in
            XCTAssertEqual(error as? ImageReadError, .tooLarge(path: path, limit: LetterImageFile.maximumFileBytes))
        }
    }
}
