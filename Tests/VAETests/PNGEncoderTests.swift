import CZlib
import XCTest
@testable import FileFormats

final class PNGEncoderTests: XCTestCase {
    private func uint32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Decodes our own PNG with zlib: signature, chunk CRCs, IHDR, and the rows behind filter bytes.
    func testEncodedImageDecodesBackToThePixels() throws {
        let pixels: [UInt8] = (0 ..< 15).map { UInt8($0 * 17) }
        try assertDecodes(PNGEncoder.encodeGray(width: 5, height: 3, pixels: pixels), width: 5, height: 3,
                          channels: 1, pixels: pixels)
    }

    /// The colour variant: colour type 2, three bytes a pixel.
    func testRGBImageDecodesBackToThePixels() throws {
        let pixels: [UInt8] = (0 ..< 4 * 2 * 3).map { UInt8(($0 * 29) % 256) }
        try assertDecodes(PNGEncoder.encodeRGB(width: 4, height: 2, pixels: pixels), width: 4, height: 2,
                          channels: 3, pixels: pixels)
    }

    private func assertDecodes(_ png: [UInt8], width: Int, height: Int, channels: Int, pixels: [UInt8]) throws {
        let stride = width * channels
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var offset = 8
        var chunks: [(String, [UInt8])] = []
        while offset < png.count {
            let length = Int(uint32(png[offset ..< offset + 4]))
            let typeAndData = Array(png[offset + 4 ..< offset + 8 + length])
            let crc = uint32(png[offset + 8 + length ..< offset + 12 + length])
            XCTAssertEqual(crc, UInt32(crc32(0, typeAndData, uInt(typeAndData.count))), "CRC of chunk at \(offset)")
            chunks.append((String(decoding: typeAndData.prefix(4), as: UTF8.self), Array(typeAndData.dropFirst(4))))
            offset += 12 + length
        }
        XCTAssertEqual(chunks.map(\.0), ["IHDR", "IDAT", "IEND"])
        XCTAssertEqual(uint32(chunks[0].1[0 ..< 4]), UInt32(width))
        XCTAssertEqual(uint32(chunks[0].1[4 ..< 8]), UInt32(height))
        XCTAssertEqual(Array(chunks[0].1[8 ..< 13]), [8, channels == 3 ? 2 : 0, 0, 0, 0])
        var inflated = [UInt8](repeating: 0, count: 256)
        var inflatedLength = uLong(256)
        XCTAssertEqual(uncompress(&inflated, &inflatedLength, chunks[1].1, uLong(chunks[1].1.count)), Z_OK)
        XCTAssertEqual(Int(inflatedLength), (stride + 1) * height)
        for row in 0 ..< height {
            XCTAssertEqual(inflated[row * (stride + 1)], 0, "filter type 0")
            XCTAssertEqual(Array(inflated[row * (stride + 1) + 1 ..< (row + 1) * (stride + 1)]),
                           Array(pixels[row * stride ..< (row + 1) * stride]))
        }
    }
}
