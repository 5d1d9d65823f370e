import XCTest
@testable import LetterData
@testable import Pictures

final class PictureFormatTests: XCTestCase {
    func testTheExtensionNamesTheFormat() {
        XCTAssertEqual(PictureFormat(path: "g.png"), .png)
        XCTAssertEqual(PictureFormat(path: "out/G.PNG"), .png)
        XCTAssertEqual(PictureFormat(path: "a.b/grid.svg"), .svg)
        XCTAssertEqual(PictureFormat(path: "out/g.idx"), .idx)
        XCTAssertEqual(PictureFormat(path: "g.IDX.GZ"), .idxGzip)
        XCTAssertEqual(PictureFormat(path: "a.gz.idx"), .idx)
        for refused in ["g.jpg", "g", "g.png.gz", ".png", "a.svg/g", "g.gz", ".idx.gz", "g.idx.gz/x", "gidx"] {
            XCTAssertNil(PictureFormat(path: refused), refused)
        }
        XCTAssertEqual(PictureFormat.refusal("g.jpg"),
                       "g.jpg: pictures are written as .png or .svg, or as image data in .idx or .idx.gz; the format follows the file name's extension")
    }

    func testEncodeWritesThePNGOrTheSVG() throws {
        let picture = TilePicture(title: "t", rows: 1, columns: 1, tileWidth: 2, tileHeight: 2, tiles: [0, 255, 128, 0])
        XCTAssertEqual(try PictureFormat.png.encode(picture, scale: 2), picture.png(scale: 2).bytes)
        XCTAssertEqual(try PictureFormat.svg.encode(picture, scale: 2), Array(picture.svg(scale: 2).utf8))
    }

    /// `.idx` holds the tiles as images in reading order (left to right, then the next row), upright;
    /// `.idx.gz` the same bytes gzipped; the scale does not matter to data.
    func testIDXHoldsTheTilesInReadingOrder() throws {
        let tiles = (0 ..< 2 * 3 * ImageSet.pixelCount).map { UInt8($0 / ImageSet.pixelCount * 40 + $0 % ImageSet.pixelCount % 3) }
        let picture = TilePicture(title: "t", rows: 2, columns: 3, tiles: tiles, rowLabels: ["1", "2"])
        let bytes = try PictureFormat.idx.encode(picture, scale: 3)
        XCTAssertEqual(bytes, try PictureFormat.idx.encode(picture, scale: 1))
        let read = try IDXReader.parseImages(bytes, path: "g.idx", transposed: false)
        XCTAssertEqual(read.count, 6)
        XCTAssertEqual(read.pixels, tiles)
        XCTAssertEqual(read.pixels[ImageSet.pixelCount], 40, "the second image is the first row's second tile")
        let gzipped = try PictureFormat.idxGzip.encode(picture, scale: 2)
        XCTAssertEqual(try FileBytes.inflateGzip(gzipped, path: "g.idx.gz"), bytes)
        XCTAssertNil(PictureFormat.idx.sizeProblem(picture, scale: 16))
    }

    /// A picture that draws its images otherwise (`write`'s lines) gives the images themselves.
    func testIDXHoldsAPicturesOwnImagesWhenItHasThem() throws {
        var picture = TilePicture(title: "t", rows: 1, columns: 1, tileWidth: 4, tileHeight: 2, tiles: [UInt8](repeating: 9, count: 8))
        picture.dataImages = ImageStack(count: 2, width: 2, height: 2, pixels: [1, 2, 3, 4, 5, 6, 7, 8])
        let bytes = try PictureFormat.idx.encode(picture, scale: 1)
        XCTAssertEqual(bytes, [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8])
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
