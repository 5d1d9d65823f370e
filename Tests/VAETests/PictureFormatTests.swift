import XCTest
@testable import VAE

final class PictureFormatTests: XCTestCase {
    func testTheExtensionNamesTheFormat() {
        XCTAssertEqual(PictureFormat(path: "g.png"), .png)
        XCTAssertEqual(PictureFormat(path: "out/G.PNG"), .png)
        XCTAssertEqual(PictureFormat(path: "a.b/grid.svg"), .svg)
        for refused in ["g.jpg", "g", "g.png.gz", ".png", "a.svg/g"] {
            XCTAssertNil(PictureFormat(path: refused), refused)
        }
        XCTAssertEqual(PictureFormat.refusal("g.jpg"), "g.jpg: pictures are written as .png or .svg; the format follows the file name's extension")
    }

    func testEncodeWritesThePNGOrTheSVG() {
        let picture = TilePicture(title: "t", rows: 1, columns: 1, tileWidth: 2, tileHeight: 2, tiles: [0, 255, 128, 0])
        XCTAssertEqual(PictureFormat.png.encode(picture, scale: 2), picture.png(scale: 2).bytes)
        XCTAssertEqual(PictureFormat.svg.encode(picture, scale: 2), Array(picture.svg(scale: 2).utf8))
    }
}
