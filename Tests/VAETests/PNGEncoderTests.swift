import CZlib
import XCTest
@testable import VAE

final class PNGEncoderTests: XCTestCase {
    private func uint32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Decodes our own PNG with zlib: signature, chunk CRCs, IHDR, and the rows behind filter bytes.
    func testEncodedImageDecodesBackToThePixels() throws {
        let (width, height) = (5, 3)
        let pixels: [UInt8] = (0 ..< 15).map { UInt8($0 * 17) }
        let png = PNGEncoder.encodeGray(width: width, height: height, pixels: pixels)
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
        XCTAssertEqual(uint32(chunks[0].1[0 ..< 4]), 5)
        XCTAssertEqual(uint32(chunks[0].1[4 ..< 8]), 3)
        XCTAssertEqual(Array(chunks[0].1[8 ..< 13]), [8, 0, 0, 0, 0])
        var inflated = [UInt8](repeating: 0, count: 64)
        var inflatedLength = uLong(64)
        XCTAssertEqual(uncompress(&inflated, &inflatedLength, chunks[1].1, uLong(chunks[1].1.count)), Z_OK)
        XCTAssertEqual(Int(inflatedLength), (width + 1) * height)
        for row in 0 ..< height {
            XCTAssertEqual(inflated[row * (width + 1)], 0, "filter type 0")
            XCTAssertEqual(Array(inflated[row * (width + 1) + 1 ..< (row + 1) * (width + 1)]),
                           Array(pixels[row * width ..< (row + 1) * width]))
        }
    }
}
