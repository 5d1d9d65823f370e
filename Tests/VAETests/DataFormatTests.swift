import Foundation
import XCTest
@testable import LetterData

/// Every data format: a round trip through the writers and the loader, and each kind of bad file.
final class DataFormatTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-data-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Three images whose pixel (r, c) is distinct and asymmetric, so a missing or extra transpose shows.
    private let sample: ImageSet = {
        var pixels: [UInt8] = []
        for image in 0 ..< 3 {
            for offset in 0 ..< 784 {
                let value: Int = image * 31 + (offset / 28) * 7 + (offset % 28) * 3
                pixels.append(UInt8(value % 256))
            }
        }
        return ImageSet(pixels: pixels, labels: [1, 5, 9])   // letters a, e, i; digits 1, 5, 9
    }()

    private func writeSplits(_ prefix: String, gzip: Bool, transposed: Bool, testPrefix: String? = nil) throws {
        for (split, name) in [("train", prefix + "train"), ("test", testPrefix ?? prefix + "test")] {
            _ = split
            try DatasetWriter.writeIDX(sample, imagesPath: "\(folder)/\(name)-images-idx3-ubyte" + (gzip ? ".gz" : ""),
                                       labelsPath: "\(folder)/\(name)-labels-idx1-ubyte" + (gzip ? ".gz" : ""),
                                       gzip: gzip, transposed: transposed)
        }
    }

    private func assertLoadedUpright(_ dataset: LabelledDataset, name: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(dataset.name, name, file: file, line: line)
        XCTAssertEqual(dataset.train.pixels, sample.pixels, "pixels come back upright", file: file, line: line)
        XCTAssertEqual(dataset.train.labels, sample.labels, file: file, line: line)
        XCTAssertEqual(dataset.test.count, 3, file: file, line: line)
    }

    func testEMNISTIDXRoundTripGzippedAndPlainIsTransposedUpright() throws {
        for gzip in [true, false] {
            try setUpWithError()
            try writeSplits("emnist-letters-", gzip: gzip, transposed: true)
            let dataset = try DatasetLoader.load(directory: folder)
            assertLoadedUpright(dataset, name: "emnist-letters (idx)")
            XCTAssertEqual(dataset.className(26), "z")
            // On disk the file is column-major: byte (r, c) of the file is pixel (c, r) of the image.
            var raw = try FileBytes.read("\(folder)/emnist-letters-train-images-idx3-ubyte" + (gzip ? ".gz" : ""))
            raw.removeFirst(16)
            XCTAssertEqual(raw[2 * 28 + 5], sample.pixels[5 * 28 + 2])
            XCTAssertNotEqual(raw[2 * 28 + 5], sample.pixels[2 * 28 + 5])
        }
    }

    func testMNISTFormatIsNotTransposedAndFashionIsNamedByFolder() throws {
        try writeSplits("", gzip: true, transposed: false, testPrefix: "t10k")
        assertLoadedUpright(try DatasetLoader.load(directory: folder), name: "mnist")
        let fashionFolder = folder + "/Fashion-MNIST"
        try FileManager.default.createDirectory(atPath: fashionFolder, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".gz") {
            try FileManager.default.copyItem(atPath: "\(folder)/\(name)", toPath: "\(fashionFolder)/\(name)")
        }
        let fashion = try DatasetLoader.load(directory: fashionFolder)
        XCTAssertEqual(fashion.name, "fashion-mnist")
        XCTAssertEqual(fashion.className(0), "T-shirt/top")
    }

    func testCSVRoundTripWithMappingAndCRLF() throws {
        try DatasetWriter.writeCSV(sample, path: folder + "/emnist-letters-train.csv")
        let crlf = String(decoding: try FileBytes.read(folder + "/emnist-letters-train.csv"), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: "\r\n")
        try Array(crlf.utf8.dropLast(2)).write(to: folder + "/emnist-letters-test.csv")   // no final newline
        try Array("1 65 97\n5 69 101\n9 73 105\n26 90 122\n".utf8).write(to: folder + "/emnist-letters-mapping.txt")
        let dataset = try DatasetLoader.load(directory: folder)
        assertLoadedUpright(dataset, name: "emnist-letters (csv)")
        XCTAssertEqual(dataset.test.pixels, sample.pixels)
        XCTAssertEqual(dataset.classNames, [1: "a", 5: "e", 9: "i", 26: "z"])
    }

    /// A label the mapping (or the set's own classes) does not name used to become a class named by
    /// its number, saved into the model: it is refused with the file and the record.
    func testLabelsOutsideTheClassesAreRefusedWithTheirRecord() throws {
        let odd = ImageSet(pixels: sample.pixels, labels: [1, 200, 5])
        try DatasetWriter.writeCSV(odd, path: folder + "/emnist-letters-train.csv")
        try DatasetWriter.writeCSV(sample, path: folder + "/emnist-letters-test.csv")
        XCTAssertThrowsError(try DatasetLoader.load(directory: folder)) {
            XCTAssertEqual("\($0)", "\(folder)/emnist-letters-train.csv: record 2 has label 200, which is not one of the data set's classes (labels 1...26)")
        }
        try Array("1 65 97\n5 69 101\n".utf8).write(to: folder + "/emnist-letters-mapping.txt")
        try DatasetWriter.writeCSV(sample, path: folder + "/emnist-letters-train.csv")
        XCTAssertThrowsError(try DatasetLoader.load(directory: folder)) {
            XCTAssertTrue("\($0)".contains("record 3 has label 9, which is not one of the data set's classes (labels 1, 5)"), "\($0)")
        }
        try FileManager.default.removeItem(atPath: folder + "/emnist-letters-mapping.txt")
        try FileManager.default.removeItem(atPath: folder + "/emnist-letters-train.csv")
        try FileManager.default.removeItem(atPath: folder + "/emnist-letters-test.csv")
        // MNIST's IDX files: digits 0...9.
        try DatasetWriter.writeIDX(sample, imagesPath: folder + "/train-images-idx3-ubyte", labelsPath: folder + "/train-labels-idx1-ubyte",
                                   gzip: false, transposed: false)
        try DatasetWriter.writeIDX(ImageSet(pixels: sample.pixels, labels: [0, 1, 10]), imagesPath: folder + "/t10k-images-idx3-ubyte",
                                   labelsPath: folder + "/t10k-labels-idx1-ubyte", gzip: false, transposed: false)
        XCTAssertThrowsError(try DatasetLoader.load(directory: folder)) {
            XCTAssertEqual("\($0)", "\(folder)/t10k-labels-idx1-ubyte: record 3 has label 10, which is not one of the data set's classes (labels 0...9)")
        }
    }

    /// Two labels sharing a character code would make two classes of one name (two classes "a").
    func testAMappingThatGivesOneCodeToTwoLabelsIsRefused() throws {
        let path = folder + "/m.txt"
        XCTAssertThrowsError(try ClassNames.parseMapping(Array("1 65 97\n2 66 98\n3 65 97\n".utf8), path: path)) {
            XCTAssertEqual("\($0)", "\(path):3: character code 65 ('A') is label 1's already; two classes would have one name (expected 'label code [code ...]' with decimal character codes)")
        }
        XCTAssertThrowsError(try ClassNames.parseMapping(Array("1 65 97\n2 97\n".utf8), path: path))
        XCTAssertEqual(try ClassNames.parseMapping(Array("1 65 97\n2 66 98 98\n".utf8), path: path), [1: "a", 2: "b"],
                       "a code repeated within its own line names one class")
    }

    // MARK: malformed input

    private func loadError() -> DataError? {
        do { _ = try DatasetLoader.load(directory: folder); return nil } catch { return error as? DataError }
    }

    func testMissingAndEmptyFolders() throws {
        XCTAssertThrowsError(try DatasetLoader.load(directory: folder + "/nope")) {
            XCTAssertEqual($0 as? DataError, .missingFolder(folder + "/nope"))
            XCTAssertEqual(String(describing: $0), "no such folder: \(self.folder)/nope (--data takes the folder holding a data set's files, or 'synthetic')")
        }
        XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/a-file", contents: Data("x".utf8)))
        XCTAssertThrowsError(try DatasetLoader.load(directory: folder + "/a-file")) {
            XCTAssertEqual($0 as? DataError, .notAFolder(folder + "/a-file"))
        }
        XCTAssertEqual(loadError(), .noDataSetFound(directory: folder))
        try writeSplits("emnist-letters-", gzip: false, transposed: true)
        try FileManager.default.removeItem(atPath: folder + "/emnist-letters-test-labels-idx1-ubyte")
        XCTAssertEqual(loadError(), .missingFile(folder + "/emnist-letters-test-labels-idx1-ubyte"))
    }

    func testWrongMagicTruncationAndCountMismatch() throws {
        try writeSplits("emnist-letters-", gzip: false, transposed: true)
        let images = folder + "/emnist-letters-train-images-idx3-ubyte"
        let labels = folder + "/emnist-letters-train-labels-idx1-ubyte"
        let good = try FileBytes.read(images)

        try Array(good.dropLast(100)).write(to: images)
        XCTAssertEqual(loadError(), .truncated(path: images, expectedBytes: good.count, actualBytes: good.count - 100))

        var magic = good; magic[3] = 0x01
        try magic.write(to: images)
        XCTAssertEqual(loadError(), .badMagic(path: images, found: 0x801, expected: 0x803))

        try good.write(to: images)
        var twoLabels = try FileBytes.read(labels); twoLabels[7] = 2; twoLabels.removeLast()
        try twoLabels.write(to: labels)
        XCTAssertEqual(loadError(), .countMismatch(images: 3, labels: 2))
    }

    func testTruncatedAndCorruptGzip() throws {
        try writeSplits("emnist-letters-", gzip: true, transposed: true)
        let images = folder + "/emnist-letters-train-images-idx3-ubyte.gz"
        let good = try Array(Data(contentsOf: URL(fileURLWithPath: images)))
        try Array(good.prefix(good.count / 2)).write(to: images)
        XCTAssertEqual(loadError(), .unreadable(path: images, reason: "gzip stream is truncated"))
        var corrupt = good
        for i in 20 ..< 60 { corrupt[i] ^= 0x5A }
        try corrupt.write(to: images)
        XCTAssertEqual(loadError(), .unreadable(path: images, reason: "gzip data is corrupt"))
    }

    func testBadCSVRows() throws {
        try DatasetWriter.writeCSV(sample, path: folder + "/emnist-letters-test.csv")
        let path = folder + "/emnist-letters-train.csv"
        let row = "3," + Array(repeating: "0", count: 784).joined(separator: ",")
        func expect(_ text: String, _ reason: String, line: Int = 2) throws {
            try Array(text.utf8).write(to: path)
            XCTAssertEqual(loadError(), .badCSVRow(path: path, line: line, reason: reason), text.prefix(30) + "…")
        }
        try expect(row + "\n" + row.dropLast(2) + "\n", "expected 785 fields (a label and 784 pixels), found 784")
        try expect(row + "\n" + row + ",0\n", "expected 785 fields (a label and 784 pixels), found 786")
        try expect(row + "\n" + row.dropLast(1) + "256\n", "field 785 (pixel 784) '256' is outside 0...255")
        try expect(row + "\n" + row.dropLast(1) + "x\n", "field 785 (pixel 784) 'x' is not a number")
        try expect("\n" + row.dropLast(1) + "-1\n", "field 785 (pixel 784) '-1' is outside 0...255")
        try Array().write(to: path)
        XCTAssertEqual(loadError(), .empty(path))
    }

    func testAFolderOrAPipeInPlaceOfAFileIsRefusedWithoutBlocking() throws {
        let pipe = folder + "/emnist-letters-test.csv"
        XCTAssertEqual(mkfifo(pipe, 0o600), 0)
        try FileManager.default.createDirectory(atPath: folder + "/emnist-letters-train.csv", withIntermediateDirectories: true)
        XCTAssertEqual(loadError(), .unreadable(path: folder + "/emnist-letters-train.csv", reason: "not a regular file"))
        XCTAssertThrowsError(try FileBytes.read(pipe)) {
            XCTAssertEqual($0 as? DataError, .unreadable(path: pipe, reason: "not a regular file"))
        }
        XCTAssertThrowsError(try FileBytes.read(folder + "/none")) { XCTAssertEqual($0 as? DataError, .missingFile(folder + "/none")) }
        XCTAssertThrowsError(try FileBytes.read(folder + "/emnist-letters-train.csv", limit: 10)) {
            guard case .unreadable? = $0 as? DataError else { return XCTFail("\($0)") }
        }
        try Array("12345678901".utf8).write(to: folder + "/big")
        XCTAssertThrowsError(try FileBytes.read(folder + "/big", limit: 10)) { XCTAssertEqual($0 as? DataError, .tooLarge(path: folder + "/big", limit: 10)) }
    }

    func testBadMappingLine() throws {
        try DatasetWriter.writeCSV(sample, path: folder + "/emnist-letters-train.csv")
        try DatasetWriter.writeCSV(sample, path: folder + "/emnist-letters-test.csv")
        try Array("1 65 97\nb 66 98\n".utf8).write(to: folder + "/emnist-letters-mapping.txt")
        XCTAssertEqual(loadError(), .badMapping(path: folder + "/emnist-letters-mapping.txt", line: 2,
                                                reason: "label 'b' is not a whole number in 0...65535"))
    }
}

extension Array where Element == UInt8 {
    func write(to path: String) throws {
        try Data(self).write(to: URL(fileURLWithPath: path))
    }
}
