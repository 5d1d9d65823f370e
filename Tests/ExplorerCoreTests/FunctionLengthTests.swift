import Foundation
import XCTest

/// `scripts/function-lengths.py`: no function in Sources is over 80 lines, and the script's lexer is
/// not fooled by braces in strings and comments, so that its verdict on Sources means something.
final class FunctionLengthTests: XCTestCase {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    private static let script = repository.appendingPathComponent("scripts/function-lengths.py").path
    private static let python = "/usr/bin/python3"

    private var folder: URL!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else { throw XCTSkip("python3 is not installed") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-lengths-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Every function of `source` with its length in lines, as `--all` lists them.
    private func lengths(_ source: String) throws -> [String: Int] {
        let file = folder.appendingPathComponent("F.swift")
        try source.write(to: file, atomically: true, encoding: .utf8)
        let result = try ExplorerBinary.runProgram(Self.python, [Self.script, "--all", file.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        var found: [String: Int] = [:]
        for line in result.stdout.split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 4, let length = Int(words[0]) else { continue }
            found[String(words[3])] = length
        }
        return found
    }

    /// A function whose body holds `bodyLines` lines of code between its opening and closing lines.
    private func function(_ name: String, bodyLines: Int) -> String {
        "func \(name)() {\n" + String(repeating: "    _ = 1\n", count: bodyLines) + "}\n"
    }

    func testNoFunctionInSourcesIsOver80Lines() throws {
        let sources = Self.repository.appendingPathComponent("Sources").path
        let result = try ExplorerBinary.runProgram(Self.python, [Self.script, "--max", "80", sources])
        XCTAssertTrue([0, 1].contains(result.status), "the script failed to run: \(result.stderr)")
        // "133 lines  /…/Sources/X.swift:82  run" -> "Sources/X.swift run"
        let long = Set(result.stdout.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 4, Int(words[0]) != nil, let place = words[2].split(separator: ":").first else { return nil }
            return String(place.dropFirst(Self.repository.path.count + 1)) + " " + words[3]
        })
        XCTAssertEqual(result.status == 0, long.isEmpty, result.stdout + result.stderr)
        XCTAssertEqual(long, [], "functions over 80 lines (split them into named steps)")
    }

    func testAFunctionOf81LinesFailsAndOneOf80Passes() throws {
        let file = folder.appendingPathComponent("G.swift")
        try (function("fits", bodyLines: 78) + function("tooLong", bodyLines: 79)).write(to: file, atomically: true, encoding: .utf8)
        let result = try ExplorerBinary.runProgram(Self.python, [Self.script, "--max", "80", file.path])
        XCTAssertEqual(result.status, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("81 lines") && result.stdout.contains("tooLong"), result.stdout)
        XCTAssertFalse(result.stdout.contains("fits"), result.stdout)
    }

    func testBracesInStringsAndCommentsDoNotCount() throws {
        let source = #"""
            struct S {
                init(x: Int) {
                    let a = "}}}"   // }
                    /* } /* nested } */ } */
                    let b = "\(a.map { "}\($0)}" }.joined())"
                    let c = """
                        }
                        \(b) }
                        """
                    let d = #"}"\(1)}"#
                    print(a, b, c, d, "\"}")
                }

                func after() -> Int {
                    let e = x.filter { $0 > 1 }
                    return e.count
                }

                subscript(i: Int) -> Int { i }
                deinit {}
            }
            """#
        XCTAssertEqual(try lengths(source), ["init": 11, "after": 4, "subscript": 1, "deinit": 1])
    }

    func testRequirementsWithoutABodyAreNotFunctions() throws {
        let source = """
            protocol P {
                func a() throws -> Int
                static func b(_ x: Int)
                var c: Int { get }
            }
            extension P {
                func d() -> Int {
                    42
                }
            }
            """
        XCTAssertEqual(try lengths(source), ["d": 3])
    }
}
