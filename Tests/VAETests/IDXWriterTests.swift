import Foundation
import TestSupport
import XCTest
@testable import FileFormats
@testable import LetterData
@testable import Support

/// `IDXWriter`, the one writer of IDX bytes: what it writes reads back through `IDXReader` (plain and
/// gzipped) as the same upright images and labels, what it cannot write is refused in one line, and a
/// seeded campaign of random sizes and contents never traps and always reads back exactly.
final class IDXWriterTests: XCTestCase {
    private func images(_ count: Int, salt: Int = 0) -> [UInt8] {
        (0 ..< count * ImageSet.pixelCount).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ salt &* 7 &+ $0 / 97) }
    }

    func testImagesReadBackUprightThroughTheReaderPlainAndGzipped() throws {
        let pixels = images(3)
        let bytes = try IDXWriter.images(pixels, count: 3, rows: 28, columns: 28)
        XCTAssertEqual(Array(bytes.prefix(16)), [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28], "magic 0x803, then 3 x 28 x 28, big-endian")
        let read = try IDXReader.parseImages(bytes, path: "g.idx", transposed: false)
        XCTAssertEqual(read.count, 3)
        XCTAssertEqual(read.pixels, pixels, "row-major and upright: nothing is transposed")
        let gzipped = IDXWriter.gzip(bytes)
        XCTAssertTrue(FileBytes.isGzip(gzipped))
        let inflated = try FileBytes.inflateGzip(gzipped, path: "g.idx.gz")
        XCTAssertEqual(try IDXReader.parseImages(inflated, path: "g.idx.gz", transposed: false).pixels, pixels)
        // No images is a valid file too.
        XCTAssertEqual(try IDXReader.parseImages(try IDXWriter.images([], count: 0, rows: 28, columns: 28), path: "e", transposed: false).count, 0)
    }

    func testFilesOnDiskReadBackThroughTheLoaderAsOneDataSet() throws {
        // The IDX files a data set folder holds, written by the one writer, load as that data set.
        let folder = (temporaryPath("x") as NSString).deletingLastPathComponent
        let set = ImageSet(pixels: images(4, salt: 3), labels: [0, 1, 2, 9])
        for split in ["train", "t10k"] {
            try AtomicFile.write(IDXWriter.gzip(try IDXWriter.images(set.pixels, count: 4, rows: 28, columns: 28)),
                                 to: folder + "/\(split)-images-idx3-ubyte.gz")
            try AtomicFile.write(try IDXWriter.labels(set.labels), to: folder + "/\(split)-labels-idx1-ubyte")
        }
        let dataset = try DatasetLoader.load(directory: folder)
        XCTAssertEqual(dataset.test.pixels, set.pixels)
        XCTAssertEqual(dataset.test.labels, set.labels)
    }

    func testLabelsReadBack() throws {
        let labels = [0, 1, 26, 255]
        XCTAssertEqual(try IDXReader.parseLabels(try IDXWriter.labels(labels), path: "l"), labels)
    }

    func testWhatIDXCannotHoldIsRefusedInOneLine() {
        func refusal(_ body: () throws -> [UInt8]) -> String? {
            do { _ = try body(); return nil } catch { return "\(error)" }
        }
        XCTAssertEqual(refusal { try IDXWriter.images([1, 2, 3], count: 1, rows: 2, columns: 2) },
                       "3 pixels do not fill the IDX images: they need 4")
        XCTAssertEqual(refusal { try IDXWriter.images([], count: 1, rows: 0, columns: 28) },
                       "an IDX image needs at least one row and column, not 0x28")
        XCTAssertEqual(refusal { try IDXWriter.images([], count: -1, rows: 28, columns: 28) },
                       "an IDX size is 0 to 4294967295, not -1")
        XCTAssertEqual(refusal { try IDXWriter.images([], count: 1 << 32, rows: 28, columns: 28) },
                       "an IDX size is 0 to 4294967295, not 4294967296")
        XCTAssertEqual(refusal { try IDXWriter.images([], count: Int(UInt32.max), rows: Int(UInt32.max), columns: Int(UInt32.max)) },
                       "0 pixels do not fill the IDX images: their size overflows")
        XCTAssertEqual(refusal { try IDXWriter.labels([3, 256]) }, "IDX label #1 is 256, not a byte (0-255)")
        XCTAssertEqual(refusal { try IDXWriter.labels([-1]) }, "IDX label #0 is -1, not a byte (0-255)")
    }

    /// Random counts, sides (some not 28x28, which the letter reader refuses by name) and pixels, some
    /// deliberately inconsistent: each is written and read back exactly, or refused with an
    /// `IDXWriteError` of one line. Gzipped output always inflates to the plain bytes.
    func testSeededFuzzOfSizesAndContents() throws {
        var generator = SeededGenerator(seed: FuzzCampaign.seed &* 7_919)
        var written = 0, refused = 0
        for _ in 0 ..< 300 {
            let count = Int.random(in: -2 ... 6, using: &generator)
            let rows = Bool.random(using: &generator) ? 28 : Int.random(in: -1 ... 40, using: &generator)
            let columns = Bool.random(using: &generator) ? 28 : Int.random(in: -1 ... 40, using: &generator)
            var pixelCount = max(0, count) * max(0, rows) * max(0, columns)
            if Int.random(in: 0 ..< 5, using: &generator) == 0 { pixelCount += Int.random(in: -3 ... 3, using: &generator) }
            let pixels = (0 ..< max(0, pixelCount)).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
            do {
                let bytes = try IDXWriter.images(pixels, count: count, rows: rows, columns: columns)
                written += 1
                XCTAssertEqual(bytes.count, 16 + pixels.count)
                XCTAssertEqual(try FileBytes.inflateGzip(IDXWriter.gzip(bytes), path: "f.gz"), bytes)
                if rows == 28 && columns == 28 {
                    let read = try IDXReader.parseImages(bytes, path: "f", transposed: false)
                    XCTAssertEqual(read.count, count)
                    XCTAssertEqual(read.pixels, pixels)
                } else {
                    XCTAssertThrowsError(try IDXReader.parseImages(bytes, path: "f", transposed: false)) {
                        XCTAssertEqual($0 as? DataError, .badImageSize(path: "f", rows: rows, columns: columns))
                    }
                }
            } catch let error as IDXWriteError {
                refused += 1
                XCTAssertFalse("\(error)".contains("\n"))
                XCTAssertTrue(count < 0 || rows <= 0 || columns <= 0 || pixels.count != count * rows * columns, "refused a valid case: \(error)")
            }
        }
        XCTAssertGreaterThan(written, 0)
        XCTAssertGreaterThan(refused, 0)
    }
}
