import Foundation
import XCTest

/// Shared state is a `Synchronization.Mutex` (or an `Atomic`) that the compiler checks: at most three
/// types in Sources opt out with `@unchecked Sendable`, and each says why in the doc comment just above
/// its declaration ("@unchecked Sendable: <the reason>").
final class UncheckedSendableTests: XCTestCase {
    private static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")
    static let allowed = 3
    /// How many lines above a declaration its reason may start (a reason of a few lines).
    static let reasonReach = 8

    /// Every declaration marked `@unchecked Sendable` (not a mention in a comment), as "File.swift:line",
    /// with whether a comment just above it gives the reason.
    private func declarations() throws -> [(place: String, hasReason: Bool)] {
        var found: [(String, Bool)] = []
        let files = FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            for (index, line) in lines.enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                guard !code.hasPrefix("//"), code.contains("@unchecked Sendable") else { continue }
                let above = lines[max(0, index - Self.reasonReach) ..< index]
                found.append(("\(url.lastPathComponent):\(index + 1)", above.contains { $0.contains("@unchecked Sendable:") }))
            }
        }
        return found
    }

    func testAtMostThreeUncheckedSendableEachWithItsReason() throws {
        let found = try declarations()
        XCTAssertFalse(found.isEmpty, "found no declaration at all: is \(Self.sources.path) the sources folder?")
        XCTAssertLessThanOrEqual(found.count, Self.allowed,
                                 "more than \(Self.allowed) @unchecked Sendable (use a Mutex): \(found.map(\.place))")
        for declaration in found where !declaration.hasReason {
            XCTFail("\(declaration.place): no '@unchecked Sendable: <reason>' comment above it")
        }
    }
}
