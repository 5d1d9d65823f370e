import ExplorerCore
import Foundation
import XCTest

/// `/` jumps to a test letter by the number the explorer shows for it, or to a class by its name.
final class JumpEndToEndTests: TmuxTestCase {
    func testSlashJumpsToALetterByNumberOrToAClass() throws {
        session.start(width: 120, height: 40, arguments: "--data synthetic --test-count 520")
        let start = session.waitFor("the explorer") { $0.contains("Decoded at cursor") && $0.contains("Start: test letter") }
        let number = try XCTUnwrap(start.range(of: #"Start: test letter '.' #\d+"#, options: .regularExpression)
            .map { start[$0].split(separator: "#").last.map(String.init) } ?? nil)
        session.keys("0", "/")
        session.waitFor("the jump line") { $0.contains("Jump to: ▏") }
        session.keys("e", "Enter")
        session.waitFor("browsing e") { $0.contains("Browsing e #") }
        session.keys("/")
        session.literal("#" + number)
        session.keys("Enter")
        let jumped = session.waitFor("the letter #\(number)") { $0.contains("Browsing ") && $0.contains("#\(number):") }
        XCTAssertTrue(jumped.contains("#\(number)"), jumped)
        session.keys("/", "z", "z", "BSpace", "q", "Enter")
        session.waitFor("nothing found") { $0.contains("Nothing called 'zq'") }
        session.keys("/", "Escape")
        session.waitFor("the line closed") { !$0.contains("Jump to:") }
        session.keys("Tab", "q")
        XCTAssertTrue(session.waitFor("the program to exit") { $0.contains("EXIT=") }.contains("EXIT=0"))
    }

    func testResolve() {
        let catalog = ClassCatalog(entries: [.init(label: 1, name: "a", testIndices: [0, 2]), .init(label: 2, name: "b", testIndices: [1])])
        let sources = [40, 41, 42], labels = [1, 2, 1]
        XCTAssertEqual(try JumpLine.resolve("#42", catalog: catalog, sourceIndices: sources, labels: labels).get().browseItem, 1)
        XCTAssertEqual(try JumpLine.resolve("41", catalog: catalog, sourceIndices: sources, labels: labels).get().browseClass, 1)
        XCTAssertEqual(try JumpLine.resolve("B", catalog: catalog, sourceIndices: sources, labels: labels).get().browseClass, 1)
        XCTAssertThrowsError(try JumpLine.resolve("#7", catalog: catalog, sourceIndices: sources, labels: labels).get())
        var line = JumpLine()
        for key: Key in [.character("1"), .character("2"), .character("\u{7F}"), .character("3")] { _ = line.edit(key) }
        XCTAssertEqual(line.edit(.enter), .submitted("13"))
    }
}
