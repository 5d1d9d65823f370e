import Foundation
import XCTest
@testable import LetterData

/// Text files as people have them: LF, CRLF and CR line ends, any number of byte order marks, and a
/// CSV header recognised by what it holds, so that no data row is lost as a header.
final class TextFormatTests: XCTestCase {
    private let bom = "\u{FEFF}"

    func testMappingsWithCRLFOrCRLineEndsAndByteOrderMarksAreRead() throws {
        for text in ["1 97\r\n2 98\r\n", "1 97\r2 98\r", "\(bom)\(bom)1 97\n2 98\n", "\(bom)1 97\r\n\r\n2 98 66"] {
            let names = try ClassNames.parseMapping(Array(text.utf8), path: "mapping.txt")
            XCTAssertEqual(names, [1: "a", 2: "b"], text.debugDescription)
        }
        XCTAssertThrowsError(try ClassNames.parseMapping(Array("1 97\r\n2 7\r\n".utf8), path: "m")) {
            XCTAssertEqual("\($0)", "m:2: '7' is not the code of a printable character (expected 'label code [code ...]' with decimal character codes)")
        }
    }

    private func row(_ label: Int, ink: UInt8 = 0) -> String {
        ([String(label)] + (0 ..< ImageSet.pixelCount).map { $0 == 5 ? String(ink) : "0" }).joined(separator: ",")
    }

    func testASecondByteOrderMarkDoesNotTurnTheFirstRowIntoAHeader() throws {
        for marks in 1 ... 3 {
            let text = String(repeating: bom, count: marks) + [row(1, ink: 200), row(2, ink: 100)].joined(separator: "\r\n")
            let images = try CSVReader.parse(Array(text.utf8), path: "x.csv", transposed: false)
            XCTAssertEqual(images.labels, [1, 2], "\(marks) byte order marks")
        }
    }

    func testCRLineEndsAndHeadersByContent() throws {
        let header = (["label"] + (0 ..< ImageSet.pixelCount).map { "pixel\($0)" }).joined(separator: ",")
        let withHeader = try CSVReader.parse(Array(([header, row(3, ink: 9), row(4, ink: 9)].joined(separator: "\r")).utf8), path: "x.csv")
        XCTAssertEqual(withHeader.labels, [3, 4])
        // A first row whose label alone is not a number is a bad row, not a header to drop silently.
        let badLabel = "x" + row(3, ink: 9).dropFirst()
        XCTAssertThrowsError(try CSVReader.parse(Array(([badLabel, row(4, ink: 9)].joined(separator: "\n")).utf8), path: "x.csv")) {
            XCTAssertTrue("\($0)".hasPrefix("x.csv:1:"), "\($0)")
        }
    }
}
