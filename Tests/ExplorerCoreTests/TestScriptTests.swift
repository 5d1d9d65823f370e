import Foundation
import XCTest

/// `scripts/test.sh`, CI's test command: `swift test`'s closing lines say how many tests ran.
final class TestScriptTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// With Swift Testing enabled and no test written for it, `swift test` ends with "Test run with 0
    /// tests in 0 suites passed" after XCTest's count, which reads as if nothing ran. While no test
    /// imports Testing, the script turns it off; once one does, it must not.
    func testSwiftTestingIsOffExactlyWhileNoTestUsesIt() throws {
        let tests = Self.repository.appendingPathComponent("Tests")
        var usesSwiftTesting = false
        let files = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift", let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            if text.split(separator: "\n").contains(where: { $0.hasPrefix("import Testing") }) { usesSwiftTesting = true }
        }
        let script = try String(contentsOf: Self.repository.appendingPathComponent("scripts/test.sh"), encoding: .utf8)
        let command = try XCTUnwrap(script.split(separator: "\n").first { $0.hasPrefix("swift test") }, "scripts/test.sh runs swift test")
        XCTAssertEqual(command.contains("--disable-swift-testing"), !usesSwiftTesting,
                       "swift test's flag in scripts/test.sh (\(command)) and whether a test imports Testing (\(usesSwiftTesting))")
    }
}
