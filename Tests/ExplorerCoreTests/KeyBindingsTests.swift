@testable import ExplorerCore
import Foundation
import LetterData
import XCTest

/// The one key table: docs/explorer.md's table is it, the README names only keys it binds, no key
/// means two things at once, dispatch runs its commands, and the key line and the help come from it.
final class KeyBindingsTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func page(_ path: String) throws -> String {
        try String(contentsOf: Self.repository.appendingPathComponent(path), encoding: .utf8)
    }

    /// The table rows (lines starting with `|`) of `text`'s section headed `heading`.
    private func tableRows(in text: String, heading: String) -> [String] {
        guard let start = text.range(of: "\n\(heading)\n") else { return [] }
        let section = text[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        return section.split(separator: "\n").map(String.init).filter { $0.hasPrefix("|") }
    }

    func testTheExplorerPagesKeyTableIsTheBindingTable() throws {
        let documented = tableRows(in: try page("docs/explorer.md"), heading: "## Keys")
        XCTAssertEqual(documented, KeyBindings.markdownTable.components(separatedBy: "\n"),
                       "docs/explorer.md's key table differs from KeyBindings.all; it should read:\n\(KeyBindings.markdownTable)")
    }

    /// The README's short table names keys; each must be one the explorer binds.
    func testTheREADMENamesOnlyBoundKeys() throws {
        let rows = tableRows(in: try page("README.md"), heading: "## Keys").dropFirst(2)
        XCTAssertFalse(rows.isEmpty, "the README has a key table")
        let named: [String: Key] = ["arrows": .left, "Tab": .tab, "Enter": .enter, "Esc": .escape, "F1": .function(1)]
        for row in rows {
            let keysColumn = row.split(separator: "|").first.map(String.init) ?? ""
            let quoted = keysColumn.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            var keys = quoted.filter { $0.count == 1 }.map { Key.character(Character($0)) }
            keys += named.filter { keysColumn.contains($0.key) }.map(\.value)
            XCTAssertFalse(keys.isEmpty, "a README row without keys: \(row)")
            for key in keys {
                XCTAssertTrue(KeyBindings.boundKeys.contains(key), "the README names \(key), which no binding has: \(row)")
            }
        }
    }

    /// Within one context a key has one command (the first trigger wins; a second would be dead).
    func testNoKeyIsBoundTwiceInOneContext() {
        for mode in [ExplorerState.Mode.plane, .browse, .draw] {
            for comparing in [false, true] {
                for traversal in [false, true] {
                    let context = KeyContext(mode: mode, comparing: comparing, traversal: traversal)
                    let keys = KeyBindings.all.flatMap(\.triggers).filter(context.allows).flatMap(\.keys)
                    XCTAssertEqual(keys.count, Set(keys).count, "a key bound twice in \(context)")
                    let catchAll = KeyBindings.all.flatMap(\.triggers).filter { context.allows($0) && $0.keys.isEmpty }
                    XCTAssertLessThanOrEqual(catchAll.count, 1)
                }
            }
        }
    }

    /// The state runs what the table says: each key of the plane changes what its command changes.
    func testDispatchFollowsTheTable() {
        let catalog = ClassCatalog(dataset: SyntheticLetters.makeDataset(trainCount: 52, testCount: 52, seed: 3))
        let screen = ScreenSize(width: 120, height: 40)
        func after(_ key: Key, mode: ExplorerState.Mode = .plane) -> (ExplorerState, ExplorerAction) {
            var state = ExplorerState(catalog: catalog, latentDim: 3)
            state.mode = mode
            let action = state.apply(key, on: screen)
            return (state, action)
        }
        XCTAssertEqual(after(.character("t")).1, .toggleTraining)
        XCTAssertEqual(after(.character("T"), mode: .browse).1, .toggleTraining)
        XCTAssertEqual(after(.character("s")).1, .save(replacing: false, thenQuit: false))
        XCTAssertEqual(after(.character("}")).1, .scaleKLWeight(2))
        XCTAssertEqual(after(.character("q")).1, .quit)
        XCTAssertTrue(after(.function(1)).0.showsHelp, "F1 is the help, as ? is")
        XCTAssertTrue(after(.character("?"), mode: .browse).0.showsHelp)
        XCTAssertEqual(after(.character("b")).0.mode, .browse)
        XCTAssertEqual(after(.tab, mode: .browse).0.mode, .plane)
        XCTAssertEqual(after(.character("x")).0.xDimension, 2)
        XCTAssertTrue(after(.character("o")).0.showsScatter)
        XCTAssertGreaterThan(after(.character("l")).0.cursor.x, 0)
        XCTAssertGreaterThan(after(.character("L")).0.cursor.x, after(.character("l")).0.cursor.x, "shift moves further")
        XCTAssertEqual(after(.character("]"), mode: .browse).0.browseClass, 1)
        XCTAssertEqual(after(.character("c"), mode: .browse).0.browseClass, catalog.entryIndex(forKey: "c"), "a class key browses it")
        XCTAssertEqual(after(.character("]")).1, .notice(ExplorerState.unknownKeyNotice(.character("]"))), "[ ] scroll only the traversal")
        for key in KeyBindings.boundKeys {
            for mode in [ExplorerState.Mode.plane, .browse, .draw] {
                guard let command = KeyBindings.command(for: key, in: KeyContext(mode: mode)) else { continue }
                XCTAssertNotNil(KeyBindings.all.first { $0.triggers.contains { $0.command == command } }, "\(command)")
            }
        }
    }

    func testTheKeyLineAndTheHelpComeFromTheTable() {
        let plane = KeyBindings.keyLine(for: .plane, width: 200)
        XCTAssertTrue(plane.hasPrefix("←↑↓→ move  +/- zoom  b browse  t train  s save"), plane)
        XCTAssertTrue(plane.hasSuffix("? help  q quit"), plane)
        XCTAssertFalse(plane.contains("w word"), "a plain model's line has no style keys")
        XCTAssertTrue(KeyBindings.keyLine(for: .plane, width: 200, stylePlane: true).hasPrefix("' letter  n N next  w word  ←↑↓→ move"))
        let narrow = KeyBindings.keyLine(for: .plane, width: 40)
        XCTAssertLessThanOrEqual(narrow.count, 40)
        XCTAssertTrue(narrow.hasSuffix("? help  q quit"), "the way to the help always shows")
        let browse = KeyBindings.keyLine(for: .browse, width: 200)
        XCTAssertTrue(browse.hasPrefix("a key: class  [ ] class  ←/→ step  Tab/Esc: plane"), browse)
        XCTAssertTrue(browse.hasSuffix("? help"), browse)
        XCTAssertFalse(browse.contains("q quit"), "q picks class q while browsing")

        let help = KeyBindings.helpLines
        XCTAssertEqual(help.count, KeyBindings.all.count + 3, "a line a row, and the three headings")
        let draw = KeyBindings.keyLine(for: .draw, width: 200)
        XCTAssertTrue(draw.hasPrefix("mouse: draw  ←↑↓→ pen"), draw)
        XCTAssertTrue(draw.hasSuffix("? help  q quit"), draw)
        for binding in KeyBindings.all {
            XCTAssertTrue(help.contains { $0.hasPrefix("  " + binding.helpKeys) && $0.hasSuffix(binding.help) }, binding.helpKeys)
        }
    }
}
