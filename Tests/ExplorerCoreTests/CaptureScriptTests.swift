import Foundation
import TestSupport
import XCTest

/// `scripts/ansi-to-svg.py`, which turns the explorer's captures into the documentation's pictures:
/// every row, the bottom one included, lies inside the picture with room for its descenders.
final class CaptureScriptTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testTheBottomRowIsWhollyInsideThePicture() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("python3 is not installed") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-svg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let capture = folder.appendingPathComponent("c.ans"), picture = folder.appendingPathComponent("c.svg")
        try "\u{1B}[1mtitle\u{1B}[0m\n▀▄█ middle\n\u{1B}[38;5;244mgjpqy bottom row\n".write(to: capture, atomically: true, encoding: .utf8)
        let script = Self.repository.appendingPathComponent("scripts/ansi-to-svg.py").path
        let result = try ExplorerBinary.runProgram("/usr/bin/python3", [script, capture.path, picture.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let svg = try String(contentsOf: picture, encoding: .utf8)
        func numbers(_ pattern: String) -> [Double] {
            let regex = try! NSRegularExpression(pattern: pattern)
            return regex.matches(in: svg, range: NSRange(svg.startIndex..., in: svg)).map {
                Double(svg[Range($0.range(at: 1), in: svg)!])!
            }
        }
        let height = try XCTUnwrap(numbers(#"<svg [^>]*height="([\d.]+)""#).first)
        let fontSize = try XCTUnwrap(numbers(#"font-size="([\d.]+)""#).first)
        let shift = numbers(#"translate\([\d.]+,([\d.]+)\)"#).first ?? 0
        let baselines = numbers(#"<text x="[\d.]+" y="([\d.]+)""#)
        XCTAssertEqual(baselines.count, 3, "a text run on each row:\n\(svg)")
        // Descenders reach about a quarter of the font's size below the baseline, and renderers
        // (rsvg-convert) place text a little lower still: half the size below the baseline is inside.
        XCTAssertLessThanOrEqual(shift + baselines.max()! + 0.5 * fontSize, height, "the bottom row's text fits:\n\(svg)")
    }
}
