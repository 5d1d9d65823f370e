import XCTest
@testable import Pictures

final class BitmapFontTests: XCTestCase {
    /// The characters the picture commands write: digits, letters, and the symbols of their labels.
    func testEveryCharacterTheLabelsUseHasItsOwnGlyph() {
        let used = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,:;-+=()[]/#'σ→↑…·×_"
        for character in used { XCTAssertTrue(BitmapFont.hasGlyph(character), "'\(character)'") }
        XCTAssertFalse(BitmapFont.hasGlyph("€"))
    }

    /// No two glyphs of the letters and digits are the same picture, and each has ink.
    func testGlyphsAreDistinctAndInked() {
        var seen: [String: Character] = [:]
        for character in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" {
            var bits = ""
            for y in 0 ..< BitmapFont.glyphHeight {
                for x in 0 ..< BitmapFont.glyphWidth { bits += BitmapFont.isInk(character, x: x, y: y) ? "1" : "0" }
            }
            XCTAssertTrue(bits.contains("1"), "'\(character)' has ink")
            XCTAssertNil(seen[bits], "'\(character)' looks like '\(seen[bits].map(String.init) ?? "")'")
            seen[bits] = character
        }
    }

    func testUnknownCharactersDrawAsAQuestionMark() {
        for y in 0 ..< BitmapFont.glyphHeight {
            for x in 0 ..< BitmapFont.glyphWidth { XCTAssertEqual(BitmapFont.isInk("€", x: x, y: y), BitmapFont.isInk("?", x: x, y: y)) }
        }
    }

    func testWidthIsOneAdvancePerCharacterWithoutTheTrailingBlank() {
        XCTAssertEqual(BitmapFont.width(of: ""), 0)
        XCTAssertEqual(BitmapFont.width(of: "a"), 5)
        XCTAssertEqual(BitmapFont.width(of: "-2.45"), 29)
    }
}
