import Foundation
import XCTest

/// One line that says what is wrong in the user's words, from the real binary: a folder that is not
/// there is a missing folder, and a picture passed as weights is called a picture.
final class WordingTests: XCTestCase {
    func testAMissingDataFolderIsCalledAFolder() throws {
        let run = try ExplorerBinary.run(["stats", "--data", "/no/such/letters"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(run.stderr, "Error: no such folder: /no/such/letters (--data takes the folder holding a data set's files, or 'synthetic')\n")
    }

    func testAPNGPassedAsWeightsIsCalledAPNGImage() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let png = repository.appendingPathComponent("docs/captures/before-80x24.png").path
        let run = try ExplorerBinary.run(["eval", "--weights", png, "--data", "synthetic"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(run.stderr, "Error: \(png) is a PNG image, not a safetensors file\n")
    }
}
