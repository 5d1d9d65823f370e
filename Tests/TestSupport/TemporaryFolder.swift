import Foundation
import XCTest

/// Temporary files for tests, removed when the test ends.
extension XCTestCase {
    /// A path named `name` in a new folder that is removed when the test ends.
    public func temporaryPath(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.appendingPathComponent(name).path
    }
}
