import XCTest
@testable import Pictures

/// `write`'s layout: characters to the model's classes (case folded), spaces and new lines, refusals in
/// one line, and the picture of the decoded letters set proportionally.
final class HandwrittenTextTests: XCTestCase {
    private let letters = (UInt8(ascii: "a") ... UInt8(ascii: "z")).map { String(UnicodeScalar($0)) }

    func testLettersSpacesAndNewLines() throws {
        let text = try HandwrittenText("Hi yo\\nz\nA", classNames: letters)
        XCTAssertEqual(text.lines, [[.letter(7), .letter(8), .space, .letter(24), .letter(14)], [.letter(25)], [.letter(0)]],
                       "H and A fold to h and a; a typed \\n and a real newline both start a line")
        XCTAssertEqual(text.letterClasses, [7, 8, 24, 14, 25, 0])
    }

    func testAClassOfTheExactCaseWinsOverFolding() throws {
        // EMNIST byclass keeps 'A' and 'a' apart: each is written with its own class.
        let text = try HandwrittenText("Aa", classNames: ["a", "A"])
        XCTAssertEqual(text.letterClasses, [1, 0])
    }

    func testCharactersOutsideTheClassesAreRefusedInOneLineListingThem() {
        XCTAssertThrowsError(try HandwrittenText("hello, world 42!", classNames: letters)) {
            XCTAssertEqual("\($0)", "cannot write ',', '4', '2', '!': the model has no class for them; it writes a b c d e f g h i j k l m n o p q r s t u v w x y z (other case folded), space, and \\n for a new line")
        }
        XCTAssertThrowsError(try HandwrittenText("a\u{1B}[2J", classNames: ["a"])) {
            XCTAssertFalse("\($0)".contains("\u{1B}"), "an escape is shown, not sent: \($0)")
            XCTAssertTrue("\($0)".hasPrefix("cannot write '\\u{1b}', '[', '2', 'J'"), "\($0)")
        }
        XCTAssertThrowsError(try HandwrittenText("x", classNames: ["T-shirt/top", "Trouser"])) {
            XCTAssertEqual("\($0)", "cannot write 'x': the model has no class for it; none of its classes (T-shirt/top, Trouser) is a single character")
        }
        XCTAssertThrowsError(try HandwrittenText(" \n ", classNames: letters)) {
            XCTAssertEqual($0 as? HandwrittenText.Refusal, .nothingToWrite)
        }
    }

    /// Letters are cropped to their ink and set `letterSpacing` apart; a space is half a tile; lines
    /// are strips as wide as the longest; the data images are the letters whole.
    func testThePictureSetsLettersProportionally() throws {
        let text = try HandwrittenText("ab a\nb", classNames: ["a", "b"])
        let (w, h) = (6, 2)
        // a: ink in columns 1...2; b: ink in column 4 only.
        let a: [UInt8] = [0, 200, 90, 0, 0, 0, 0, 100, 0, 0, 0, 0]
        let b: [UInt8] = [0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 10, 0]
        let decoded = a + b + a + b
        let picture = text.picture(title: "t", letters: decoded, width: w, height: h)
        XCTAssertEqual(picture.rows, 2)
        XCTAssertEqual(picture.columns, 1)
        let space = HandwrittenText.spaceWidth(tileWidth: w), gap = HandwrittenText.letterSpacing
        let lineWidth = 2 + gap + 1 + space + 2
        XCTAssertEqual(picture.tileWidth, lineWidth)
        XCTAssertEqual(picture.tileHeight, h)
        var first = [UInt8](repeating: 0, count: lineWidth * h)
        func put(_ image: [UInt8], columns: ClosedRange<Int>, at x: Int) {
            for y in 0 ..< h { for c in columns { first[y * lineWidth + x + c - columns.lowerBound] = image[y * w + c] } }
        }
        put(a, columns: 1 ... 2, at: 0)
        put(b, columns: 4 ... 4, at: 2 + gap)
        put(a, columns: 1 ... 2, at: 2 + gap + 1 + space)
        XCTAssertEqual(Array(picture.tiles[0 ..< lineWidth * h]), first)
        var second = [UInt8](repeating: 0, count: lineWidth * h)
        for y in 0 ..< h { second[y * lineWidth] = b[y * w + 4] }
        XCTAssertEqual(Array(picture.tiles[(lineWidth * h)...]), second)
        XCTAssertEqual(picture.images, ImageStack(count: 4, width: w, height: h, pixels: decoded))
    }

    func testALetterWithoutInkKeepsHalfATile() throws {
        let text = try HandwrittenText("aa", classNames: ["a"])
        let picture = text.picture(title: "", letters: [UInt8](repeating: 0, count: 2 * 8), width: 8, height: 1)
        XCTAssertEqual(picture.tileWidth, 4 + HandwrittenText.letterSpacing + 4)
    }
}
