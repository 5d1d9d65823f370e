import XCTest
@testable import LetterData
@testable import Pictures

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

    /// Sizes past the limits are refused with a reason, before anything is allocated for them.
    func testPicturesTooLargeAreRefused() {
        let tile = [UInt8](repeating: 0, count: ImageSet.pixelCount)
        let grid = TilePicture(title: "", rows: 80, columns: 80, tiles: Array([[UInt8]](repeating: tile, count: 6_400).joined()))
        XCTAssertNil(PictureFormat.png.sizeProblem(grid, scale: 4))
        XCTAssertNotNil(PictureFormat.png.sizeProblem(grid, scale: 16))
        XCTAssertNotNil(PictureFormat.png.sizeProblem(grid, scale: Int.max / 2), "overflow is a refusal, not a trap")
        XCTAssertEqual(PictureFormat.svg.sizeProblem(grid, scale: 1),
                       "6400 images are too many for an SVG (at most 5102): write a .png")
        let small = TilePicture(title: "", rows: 10, columns: 10, tiles: Array([[UInt8]](repeating: tile, count: 100).joined()))
        XCTAssertNil(PictureFormat.svg.sizeProblem(small, scale: 16))
    }
}
