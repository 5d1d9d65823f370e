import ExplorerCore
import XCTest

/// Shortening at word boundaries, dropping fields by importance, wrapping.
final class TextFitTests: XCTestCase {
    func testShortensAtWordBoundariesWithAnEllipsis() {
        XCTAssertEqual(TextFit.shorten("fits", to: 4), "fits")
        XCTAssertEqual(TextFit.shorten("emnist-letters (idx) in emnist-letters-partial", to: 24), "emnist-letters (idx) in…")
        XCTAssertEqual(TextFit.shorten("emnist-letters (idx) in emnist-letters-partial", to: 27), "emnist-letters (idx) in…")
        XCTAssertEqual(TextFit.shorten("idle: press t to train in the background", to: 33), "idle: press t to train in the…")
        XCTAssertEqual(TextFit.shorten("model · weights · data", to: 16), "model · weights…", "a separator before the cut goes")
        XCTAssertEqual(TextFit.shorten("x z1 -6.0…6.0  y z2", to: 10), "x z1…", "a range is one word")
        XCTAssertEqual(TextFit.shorten("supercalifragilistic", to: 6), "super…", "a lone long word is cut, and says so")
        XCTAssertEqual(TextFit.shorten("abc", to: 1), "…")
        XCTAssertEqual(TextFit.shorten("abc", to: 0), "")
        for width in 0 ... 40 {
            XCTAssertLessThanOrEqual(TextFit.shorten("nearest real letter: 'j', distance 0.03 (5 of 5)", to: width).count, width)
        }
    }

    func testJoinDropsTheLeastImportantFieldsFirst() {
        let fields = ["mlp 784-512-2-512-784", "default.safetensors", "trained on synthetic letters, 30 epochs", "test letters: synthetic"]
        let importance = [1, 3, 0, 2]
        XCTAssertEqual(TextFit.join(fields, separator: " · ", width: 200, importance: importance), fields.joined(separator: " · "))
        XCTAssertEqual(TextFit.join(fields, separator: " · ", width: 45, importance: importance), "default.safetensors · test letters: synthetic")
        XCTAssertEqual(TextFit.join(fields, separator: " · ", width: 70, importance: importance),
                       "mlp 784-512-2-512-784 · default.safetensors · test letters: synthetic")
        XCTAssertEqual(TextFit.join(fields, separator: " · ", width: 20, importance: importance), "default.safetensors")
    }

    func testWrapBreaksAtSpaces() {
        XCTAssertEqual(TextFit.wrap("Terminal too small (60x20): enlarge it to at least 80x24, or press q to quit", to: 30),
                       ["Terminal too small (60x20):", "enlarge it to at least 80x24,", "or press q to quit"])
        XCTAssertEqual(TextFit.wrap("", to: 10), [])
    }
}
