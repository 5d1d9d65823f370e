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

    /// Letters without an ascender stay under the x-height (rows 2 to 6), as a, c, e do: 'p' and 'q'
    /// drawn from the top row read as capitals ("z2 uP").
    func testLowerCaseLettersWithoutAscendersStayUnderTheXHeight() {
        for character in "acegmnopqrsuvwxyz" {
            for y in 0 ..< 2 {
                for x in 0 ..< BitmapFont.glyphWidth {
                    XCTAssertFalse(BitmapFont.isInk(character, x: x, y: y), "'\(character)' has ink above the x-height at row \(y)")
                }
            }
        }
    }

    /// The PNG figures' font writes a class 'a' as 'a' (the report legend showed capitals).
    func testPixelFontDrawsLowerCaseAsLowerCase() {
        for character in "abcdefghijklmnopqrstuvwxyz" {
            XCTAssertNotEqual(PixelFont.glyph(character), PixelFont.glyph(Character(character.uppercased())), "'\(character)'")
        }
        XCTAssertEqual(PixelFont.glyph("A"), [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11])
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
