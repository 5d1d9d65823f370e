import Foundation
import XCTest
@testable import LetterData

/// The CSV variants other tools write (floats, headers, 0...1 pixels, CRLF, byte order marks, blank
/// lines), each read to the same images as the plain EMNIST export; and garbage, refused with the
/// line and field.
final class CSVVariantTests: XCTestCase {
    private let path = "letters.csv"

    /// Two images with distinct, asymmetric pixels covering 0...255, labels 1 and 26.
    private let sample: ImageSet = {
        var pixels: [UInt8] = []
        for image in 0 ..< 2 {
            for offset in 0 ..< ImageSet.pixelCount { pixels.append(UInt8((image * 97 + offset * 13) % 256)) }
        }
        return ImageSet(pixels: pixels, labels: [1, 26])
    }()

    /// The sample's rows in the export's layout (label, then transposed pixels), each value formatted by `format`.
    private func rows(label: (Int) -> String = { String($0) }, pixel: (UInt8) -> String) -> [String] {
        (0 ..< sample.count).map { index in
            let image = Array(sample.image(index))
            var fields = [label(sample.labels[index])]
            for column in 0 ..< ImageSet.side {
                for row in 0 ..< ImageSet.side { fields.append(pixel(image[row * ImageSet.side + column])) }
            }
            return fields.joined(separator: ",")
        }
    }

    private func parse(_ text: String) throws -> ImageSet {
        try CSVReader.parse(Array(text.utf8), path: path)
    }

    private func assertReadsTheSample(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            let images = try parse(text)
            XCTAssertEqual(images.labels, sample.labels, what, file: file, line: line)
            XCTAssertEqual(images.pixels, sample.pixels, what, file: file, line: line)
        } catch {
            XCTFail("\(what): \(error)", file: file, line: line)
        }
    }

    private func reason(_ text: String) -> String? {
        do { _ = try parse(text); return nil } catch { return (error as? DataError)?.description ?? "not a DataError: \(error)" }
    }

    func testIntegersAndFloatsReadTheSame() {
        let integers = rows { String($0) }
        assertReadsTheSample(integers.joined(separator: "\n") + "\n", "integers")
        // pandas after astype(float): every value, the label too, as 13.0.
        let floats = rows(label: { "\(Double($0))" }, pixel: { "\(Double($0))" })
        assertReadsTheSample(floats.joined(separator: "\n") + "\n", "floats")
        assertReadsTheSample(rows(label: { "\($0).000" }, pixel: { "\($0).0e0" }).joined(separator: "\n"), "exponents")
        assertReadsTheSample(rows(label: { "+\($0)" }, pixel: { " \($0)\t" }).joined(separator: "\n"), "signs and spaces")
        // Fractions round to the nearest byte.
        assertReadsTheSample(rows(pixel: { $0 == 0 ? "0.4" : "\(Double($0) - 0.5)" }).joined(separator: "\n"), "fractions")
    }

    func testPixelsInZeroToOneAreDetectedAndScaled() {
        // pandas' repr of value/255 (e.g. 0.050980392156862744).
        assertReadsTheSample(rows { "\(Double($0) / 255)" }.joined(separator: "\n"), "0...1 floats")
        // Binarised images: only 0 and 1 in the whole file mean 0 and 255.
        let binary = try? parse(rows { $0 > 127 ? "1" : "0" }.joined(separator: "\n"))
        XCTAssertEqual(binary?.pixels, sample.pixels.map { $0 > 127 ? 255 : 0 })
        // One value above 1 anywhere means the file is 0...255: its 0.5s round to 1, not 128.
        let mixed = rows { $0 == 255 ? "2" : $0 > 127 ? "0.5" : "0" }
        XCTAssertEqual(try? parse(mixed.joined(separator: "\n")).pixels, sample.pixels.map { $0 == 255 ? 2 : $0 > 127 ? 1 : 0 })
        // All black stays all black.
        XCTAssertEqual(try? parse(rows { _ in "0.0" }.joined(separator: "\n")).pixels, [UInt8](repeating: 0, count: 2 * 784))
        XCTAssertEqual(reason(rows { _ in "0.5" }[0] + "\n" + rows { _ in "-0.1" }[1]), "letters.csv:2: field 2 (pixel 1) '-0.1' is outside 0...255")
    }

    func testHeaderRowsAreSkipped() {
        let data = rows { String($0) }.joined(separator: "\n")
        let names = (["label"] + (0 ..< 784).map { "pixel\($0)" }).joined(separator: ",")
        assertReadsTheSample(names + "\n" + data, "label,pixel0,...")
        assertReadsTheSample(#""label","1x1""# + "\n" + data, "quoted names")
        assertReadsTheSample((0 ... 784).map(String.init).joined(separator: ",") + "\n" + data, "pandas' column numbers")
        assertReadsTheSample((1 ... 785).map(String.init).joined(separator: ",") + "\r\n" + data, "column numbers from 1")
        let labelLast = ((0 ..< 784).map { "pixel\($0)" } + ["label"]).joined(separator: ",")
        XCTAssertEqual(reason(labelLast + "\n" + data), "letters.csv:1: the header names column 785 'label'; the label must be the first column")
        XCTAssertEqual(reason(names + "\n"), "letters.csv holds no images")
    }

    func testLineEndingsByteOrderMarkAndBlankLines() {
        let lines = rows { String($0) }
        assertReadsTheSample(lines.joined(separator: "\r\n") + "\r\n", "CRLF")
        assertReadsTheSample(lines.joined(separator: "\r"), "CR")
        assertReadsTheSample("\u{FEFF}" + lines.joined(separator: "\n"), "byte order mark")
        assertReadsTheSample("\u{FEFF}label,p\r\n" + lines.joined(separator: "\r\n"), "byte order mark and header")
        assertReadsTheSample("\n \n" + lines.joined(separator: "\n\n\t\n") + "\n\n\r\n  \n", "blank lines")
    }

    /// Garbage is refused with the physical line number (blank lines and the header count) and the field.
    func testGarbageIsRefusedWithLineAndField() {
        let good = rows { String($0) }[0]
        let fields = good.split(separator: ",").map(String.init)
        let pixels = fields.dropFirst().joined(separator: ",")
        XCTAssertTrue(pixels.hasPrefix("0,108,"), "the cases below rely on the first pixels")
        let semicolons = pixels.replacingOccurrences(of: ",", with: ";")
        let cases: [(String, String)] = [
            ("label\n\n" + good + "\n" + (fields.dropLast() + ["x"]).joined(separator: ","), "letters.csv:4: field 785 (pixel 784) 'x' is not a number"),
            (good + "\r\n" + "13.5," + pixels, "letters.csv:2: field 1 (label) '13.5' is not a whole number in 0...65535"),
            (good + "\n" + "70000," + pixels, "letters.csv:2: field 1 (label) '70000' is not a whole number in 0...65535"),
            (good + "\n" + "1,," + pixels.dropFirst(2), "letters.csv:2: field 2 (pixel 1) is empty (a missing value?)"),
            (good + "\n" + "1,nan," + pixels.dropFirst(2), "letters.csv:2: field 2 (pixel 1) 'nan' is not a number"),
            (good + "\n" + "1,1e999," + pixels.dropFirst(2), "letters.csv:2: field 2 (pixel 1) '1e999' is outside 0...255"),
            (good + "\n" + "1,255.5," + pixels.dropFirst(2), "letters.csv:2: field 2 (pixel 1) '255.5' is outside 0...255"),
            (good + "\n" + "1,\"3\"," + pixels.dropFirst(2), "letters.csv:2: field 2 (pixel 1) '\"3\"' is not a number"),
            (good + "\n" + "1,3 4," + pixels.dropFirst(2), "letters.csv:2: field 2 (pixel 1) '3 4' is not a number"),
            (good + "\n1;" + semicolons, "letters.csv:2: field 1 (label) '1;" + semicolons.prefix(22) + "…' is not a number"),
            (good + "\n" + good + ",", "letters.csv:2: expected 785 fields (a label and 784 pixels), found 786"),
            (good + "\n" + fields.dropLast().joined(separator: ",") + ",", "letters.csv:2: field 785 (pixel 784) is empty (a missing value?)"),
            (good + "\n" + "0,\u{1}\u{7F}" + pixels.dropFirst(1), "letters.csv:2: field 2 (pixel 1) '\\u{1}\\u{7f}' is not a number"),
            ("", "letters.csv holds no images"),
            ("\n\r\n \n", "letters.csv holds no images"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(reason(text), expected, String(text.prefix(40)))
        }
    }

    func testNumberParserValues() throws {
        func value(_ text: String) -> Double? {
            Array(text.utf8).withUnsafeBufferPointer { buffer in
                var i = 0
                var number = NumberParser()
                number.scan(buffer, &i)
                return number.hasDigits && i == buffer.count ? number.value : nil
            }
        }
        XCTAssertEqual(value("13"), 13)
        XCTAssertEqual(value("13.0"), 13)
        XCTAssertEqual(value(".5"), 0.5)
        XCTAssertEqual(value("5."), 5)
        XCTAssertEqual(value("-0"), 0)
        XCTAssertEqual(value("2.5E+2"), 250)
        XCTAssertEqual(value("1e-05"), 0.00001)
        XCTAssertEqual(try XCTUnwrap(value("0.050980392156862744")), 13.0 / 255, accuracy: 1e-16)
        XCTAssertEqual(value("000000000000000000000000000012"), 12)
        XCTAssertEqual(try XCTUnwrap(value("123456789012345678901234")), 1.2345678901234568e23, accuracy: 1e8)
        XCTAssertEqual(value("1e100000"), .infinity)
        XCTAssertEqual(value("0e100000"), 0, "zero times a huge power is zero, not NaN")
        XCTAssertEqual(value("1e-100000"), 0)
        for bad in ["", ".", "-", "e5", "1e", "1e+", "1.2.3", "0x10", "nan", "inf", "1,"] {
            XCTAssertNil(value(bad), bad)
        }
    }
}
