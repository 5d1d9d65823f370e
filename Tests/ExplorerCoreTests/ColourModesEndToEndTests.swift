import ExplorerCore
import Foundation
import XCTest

/// `C` cycles what the explorer draws with, as btop's colour themes do: 256 colours (grey half-block
/// pixels), colour with shaded letters, plain, and back.
final class ColourModesEndToEndTests: TmuxTestCase {
    func testCCyclesTheColourModes() {
        session.start(width: 120, height: 40, arguments: "--data synthetic --test-count 260")
        session.waitFor("the explorer in 256 colours") { $0.contains("Decoded at cursor") && $0.contains("▀") }
        session.keys("C")
        let colour = session.waitFor("colour with shaded letters", withColours: true) {
            $0.contains("Drawn in colour (C cycles: 256 colours, colour, plain (no colour))") && !$0.contains("▀")
        }
        XCTAssertTrue(colour.contains("\u{1B}[38;5;"), "still in colour")
        XCTAssertTrue(colour.contains("░") || colour.contains("▒") || colour.contains("▓"), "letters in shades")
        session.keys("C")
        let plain = session.waitFor("plain", withColours: true) { $0.contains("Drawn in plain (no colour)") }
        XCTAssertFalse(plain.contains("\u{1B}[38;5;"), "no colour at all:\n\(plain)")
        session.keys("C")
        session.waitFor("256 colours again") { $0.contains("Drawn in 256 colours") && $0.contains("▀") }
        session.keys("q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    func testTheCycleOnEachKindOfTerminal() {
        let full = TerminalCapabilities(pixels: .halfBlocks256, colours: true)
        XCTAssertEqual(ColourModes.cycle(from: full).map(ColourModes.name), ["256 colours", "colour", "plain (no colour)"])
        XCTAssertEqual(ColourModes.cycle(from: TerminalCapabilities(pixels: .shades, colours: true)).count, 2)
        XCTAssertEqual(ColourModes.cycle(from: TerminalCapabilities(pixels: .shades, colours: false)).count, 1)
        XCTAssertEqual(ColourModes.next(after: ColourModes.cycle(from: full)[2], detected: full), full)
    }
}
