import Foundation
import XCTest

/// Every numeric option of every command has a range, declared in one table that `latent-explorer
/// --help` shows (`OptionRanges.table`). This walks every command's options as ArgumentParser lists them
/// (`--experimental-dump-help`): an option that takes a value is either in the table or a known
/// non-numeric one (a path, a name, a point), and each numeric one given 0, -1, its maximum + 1, 2^63
/// or NaN (those outside its range) is refused with one error line and exit status 64, before any work.
final class OptionRangesCommandTests: XCTestCase {
    /// Options whose values are not numbers: paths, names, lists and points, checked in their own ways.
    private static let notNumbers: Set<String> = [
        "data", "emnist-split", "test-split", "letters", "weights", "save-to", "compare", "arch", "setting", "out",
        "dims", "at", "from", "to", "style", "letter", "split", "against", "only", "torch", "torch-script", "torch-quality-script",
    ]

    /// Arguments with which each command, given an accepted value, ends at once with status 1 (a file
    /// that does not exist), so that a value wrongly accepted shows as 1, not as a long run.
    private func base(_ command: String, _ folder: String) -> [String] {
        let missing = folder + "/absent", picture = folder + "/x.png"
        switch command {
        case "explore": return ["explore", "--data", missing]
        case "train": return ["train", "--data", missing, "--out", folder + "/x.safetensors"]
        case "eval": return ["eval", "--data", missing, "--weights", missing]
        case "grid": return ["grid", "--weights", missing, "--out", picture]
        case "interpolate": return ["interpolate", "--weights", missing, "--from", "0,0", "--to", "1,1", "--out", picture]
        case "traverse": return ["traverse", "--weights", missing, "--out", picture]
        case "samples": return ["samples", "--data", missing, "--out", picture]
        case "compare": return ["compare", missing, "--data", missing]
        default: return [command, "--data", missing]
        }
    }

    /// The table from the root help: option -> (lowest, highest, whether the highest is excluded).
    private func helpTable() throws -> [String: (low: Double, high: Double, open: Bool)] {
        let help = try ExplorerBinary.run(["--help"])
        XCTAssertEqual(help.status, 0)
        var table: [String: (Double, Double, Bool)] = [:]
        for line in help.stdout.split(separator: "\n") where line.hasPrefix("  --") {
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard parts.count == 2 else { continue }
            let open = parts[1].contains("...<")
            let bounds = parts[1].components(separatedBy: open ? "...<" : "...")
            guard bounds.count == 2, let low = Double(bounds[0]), let high = Double(bounds[1]) else { continue }
            table[String(parts[0].dropFirst(2))] = (low, high, open)
        }
        XCTAssertGreaterThan(table.count, 20, "the help shows the table:\n\(help.stdout)")
        return table
    }

    /// (command, option) for every option that takes a value, from ArgumentParser's own description.
    private func options() throws -> [(command: String, option: String)] {
        let dump = try ExplorerBinary.run(["--experimental-dump-help"])
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        let command = try XCTUnwrap(root["command"] as? [String: Any])
        var found: [(String, String)] = []
        for sub in command["subcommands"] as? [[String: Any]] ?? [] {
            let name = sub["commandName"] as? String ?? ""
            for argument in sub["arguments"] as? [[String: Any]] ?? [] where argument["kind"] as? String == "option" {
                let names = (argument["names"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "long" }
                if let long = names.first?["name"] as? String { found.append((name, long)) }
            }
        }
        XCTAssertGreaterThan(found.count, 40)
        return found
    }

    func testEveryNumericOptionOfEveryCommandIsRefusedOutsideItsRange() throws {
        _ = try ExplorerBinary.require()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-ranges-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let table = try helpTable()
        var used = Set<String>(), runs = 0
        for (command, option) in try options() {
            if Self.notNumbers.contains(option) { continue }
            guard let range = table[option] else {
                XCTFail("\(command) --\(option) takes a value but has no range in OptionRanges.table (or list it in notNumbers)")
                continue
            }
            used.insert(option)
            let maximumPlusOne = range.open ? range.high : range.high + 1
            let candidates: [(String, Double)] = [("0", 0), ("-1", -1), (Self.integer(maximumPlusOne), maximumPlusOne),
                                                  ("9223372036854775808", 9.223372036854775808e18), ("nan", .nan)]
            for (text, value) in candidates {
                let inside = value >= range.low && (range.open ? value < range.high : value <= range.high)
                if inside { continue }
                let run = try ExplorerBinary.run(base(command, folder) + ["--\(option)", text])
                runs += 1
                XCTAssertEqual(run.status, 64, "\(command) --\(option) \(text): \(run.stderr)")
                let first = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
                XCTAssertTrue(first.hasPrefix("Error: "), "\(command) --\(option) \(text): \(run.stderr)")
                XCTAssertLessThan(first.count, 300, first)
            }
        }
        XCTAssertEqual(Set(table.keys).subtracting(used), [], "rows of the table no command has")
        XCTAssertGreaterThan(runs, 150)
    }

    /// A whole number as text when it is one (1001, not 1001.0), so that integer options parse it.
    private static func integer(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e18 ? String(Int(value)) : (value > 1e19 ? "18446744073709551616" : String(value))
    }
}
