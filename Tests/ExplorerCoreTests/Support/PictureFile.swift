import CZlib
import Foundation
import XCTest

/// Reads back the greyscale PNGs the picture commands write (our encoder's subset: 8-bit grey, filter
/// type 0, one IDAT) and finds the tiles in them.
struct PictureFile {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    init(png: [UInt8]) throws {
        func uint32(_ offset: Int) -> Int { png[offset ..< offset + 4].reduce(0) { $0 << 8 | Int($1) } }
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var offset = 8
        var header: [UInt8] = [], data: [UInt8] = []
        while offset + 8 <= png.count {
            let length = uint32(offset)
            let type = String(decoding: png[offset + 4 ..< offset + 8], as: UTF8.self)
            let body = Array(png[offset + 8 ..< offset + 8 + length])
            if type == "IHDR" { header = body }
            if type == "IDAT" { data += body }
            offset += 12 + length
        }
        width = header[0 ..< 4].reduce(0) { $0 << 8 | Int($1) }
        height = header[4 ..< 8].reduce(0) { $0 << 8 | Int($1) }
        var raw = [UInt8](repeating: 0, count: (width + 1) * height)
        var rawLength = uLong(raw.count)
        guard uncompress(&raw, &rawLength, data, uLong(data.count)) == Z_OK, Int(rawLength) == raw.count else {
            throw XCTSkip("not a PNG of our encoder")
        }
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height)
        for row in 0 ..< height { pixels += raw[row * (width + 1) + 1 ..< (row + 1) * (width + 1)] }
        self.pixels = pixels
    }

    /// The top-left corner of the first place where `tile` (side x side grey values, each drawn as a
    /// scale x scale square) appears, scanning rows top to bottom.
    func locate(_ tile: [UInt8], side: Int, scale: Int) -> (x: Int, y: Int)? {
        let size = side * scale
        guard size <= width, size <= height else { return nil }
        for y in 0 ... height - size {
            for x in 0 ... width - size where matches(tile, side: side, scale: scale, at: (x, y)) { return (x, y) }
        }
        return nil
    }

    func matches(_ tile: [UInt8], side: Int, scale: Int, at origin: (x: Int, y: Int)) -> Bool {
        let size = side * scale
        guard origin.x >= 0, origin.y >= 0, origin.x + size <= width, origin.y + size <= height else { return false }
        for y in 0 ..< size {
            for x in 0 ..< size where pixels[(origin.y + y) * width + origin.x + x] != tile[(y / scale) * side + x / scale] {
                return false
            }
        }
        return true
    }
}
