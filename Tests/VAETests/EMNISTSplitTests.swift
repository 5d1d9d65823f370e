import Foundation
import XCTest
@testable import LetterData

/// EMNIST's other data sets by name (digits, balanced, byclass, bymerge, mnist), in NIST's file layout.
final class EMNISTSplitTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-splits-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Images whose pixel (r, c) is distinct and asymmetric, so a missing transpose shows.
    private func sample(labels: [Int]) -> ImageSet {
        var pixels: [UInt8] = []
        for image in labels.indices {
            for offset in 0 ..< 784 { pixels.append(UInt8((image * 31 + (offset / 28) * 7 + (offset % 28) * 3) % 256)) }
        }
        return ImageSet(pixels: pixels, labels: labels)
    }

    private func writeIDX(_ split: EMNISTSplit, labels: [Int], gzip: Bool = true) throws {
        for part in ["train", "test"] {
            let suffix = gzip ? ".gz" : ""
            try DatasetWriter.writeIDX(sample(labels: labels),
                                       imagesPath: "\(folder)/emnist-\(split.rawValue)-\(part)-images-idx3-ubyte\(suffix)",
                                       labelsPath: "\(folder)/emnist-\(split.rawValue)-\(part)-labels-idx1-ubyte\(suffix)",
                                       gzip: gzip, transposed: true)
        }
    }

    func testDigitsWithTheirMappingAreUpright() throws {
        try writeIDX(.digits, labels: [0, 3, 9])
        try Array((0 ... 9).map { "\($0) \(48 + $0)\n" }.joined().utf8).write(to: folder + "/emnist-digits-mapping.txt")
        let dataset = try DatasetLoader.load(directory: folder)
        XCTAssertEqual(dataset.name, "emnist-digits (idx)")
        XCTAssertEqual(dataset.train.pixels, sample(labels: [0, 3, 9]).pixels, "transposed back to upright")
        XCTAssertEqual(dataset.className(0), "0")
        XCTAssertEqual(dataset.className(9), "9")
    }

    /// balanced, byclass and bymerge keep capitals and small letters apart: A (10) is not a (36).
    func testCaseSensitiveClassesKeepTheirCase() throws {
        try writeIDX(.balanced, labels: [10, 36, 46])
        try Array("10 65\n36 97\n46 116\n".utf8).write(to: folder + "/emnist-balanced-mapping.txt")
        let dataset = try DatasetLoader.load(directory: folder)
        XCTAssertEqual(dataset.name, "emnist-balanced (idx)")
        XCTAssertEqual(dataset.classNames, [10: "A", 36: "a", 46: "t"])
        XCTAssertEqual(Set(dataset.classNames.values).count, 3)
    }

    func testWithoutAMappingNISTsNamesAreUsed() throws {
        try writeIDX(.byclass, labels: [0, 10, 61], gzip: false)
        let byclass = try DatasetLoader.load(directory: folder)
        XCTAssertEqual(byclass.name, "emnist-byclass (idx)")
        XCTAssertEqual([byclass.className(0), byclass.className(10), byclass.className(35), byclass.className(36), byclass.className(61)],
                       ["0", "A", "Z", "a", "z"])
        XCTAssertEqual(EMNISTSplit.bymerge.defaultClassNames[46], "t")
        XCTAssertEqual(EMNISTSplit.balanced.defaultClassNames.count, 47)
        XCTAssertEqual(EMNISTSplit.mnist.defaultClassNames, ClassNames.digits)
    }

    /// A folder like NIST's download holds every split: letters by default, any other by name.
    func testChoosingASplitByName() throws {
        try writeIDX(.letters, labels: [1, 2, 26])
        try writeIDX(.digits, labels: [0, 1, 2])
        try writeIDX(.mnist, labels: [7, 8, 9])
        XCTAssertEqual(try DatasetLoader.load(directory: folder).name, "emnist-letters (idx)")
        XCTAssertEqual(try DatasetLoader.load(directory: folder, emnistSplit: .digits).labelsPresent, [0, 1, 2])
        XCTAssertEqual(try DatasetLoader.load(directory: folder, emnistSplit: .mnist).name, "emnist-mnist (idx)")
        XCTAssertThrowsError(try DatasetLoader.load(directory: folder, emnistSplit: .bymerge)) {
            XCTAssertEqual($0 as? DataError, .missingFile(folder + "/emnist-bymerge-train-images-idx3-ubyte"))
        }
        // Through the data source, as --data DIR --emnist-split digits names it.
        XCTAssertEqual(try DataSource.resolve(folder, environment: [:], emnistSplit: .digits).load().name, "emnist-digits (idx)")
    }

    func testCSVExportOfAnotherSplit() throws {
        let images = sample(labels: [2, 5])
        try DatasetWriter.writeCSV(images, path: folder + "/emnist-bymerge-train.csv")
        try DatasetWriter.writeCSV(images, path: folder + "/emnist-bymerge-test.csv")
        let dataset = try DatasetLoader.load(directory: folder)
        XCTAssertEqual(dataset.name, "emnist-bymerge (csv)")
        XCTAssertEqual(dataset.train.pixels, images.pixels)
        XCTAssertEqual(dataset.className(5), "5")
    }

    func testAMissingPartOfANamedSplitIsReported() throws {
        try writeIDX(.digits, labels: [1])
        try FileManager.default.removeItem(atPath: folder + "/emnist-digits-test-labels-idx1-ubyte.gz")
        XCTAssertThrowsError(try DatasetLoader.load(directory: folder)) {
            XCTAssertEqual($0 as? DataError, .missingFile(folder + "/emnist-digits-test-labels-idx1-ubyte"))
        }
    }
}
