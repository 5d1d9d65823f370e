import Foundation
import XCTest
@testable import FileFormats

/// The safetensors header's JSON parser: what it accepts agrees with Foundation's parser, what it
/// refuses is refused with a reason and a byte offset, and nesting cannot exhaust the stack.
final class StrictJSONTests: XCTestCase {
    private func parse(_ text: String) throws -> JSONValue {
        try Array(text.utf8).withUnsafeBufferPointer { try StrictJSON.parse($0) }
    }

    private func failure(_ text: String) -> JSONSyntaxError? {
        do { _ = try parse(text); return nil } catch { return error as? JSONSyntaxError }
    }

    func testValuesAreParsedExactly() throws {
        XCTAssertEqual(try parse(#" {"a": [0, -12, 9223372036854775807, 1.5, -2e3, true, false, null], "b": {}} "#),
                       .object([("a", .array([.integer(0), .integer(-12), .integer(.max), .number(1.5), .number(-2000),
                                               .bool(true), .bool(false), .null])), ("b", .object([]))]))
        XCTAssertEqual(try parse("9223372036854775808"), .number(9223372036854775808), "past Int: a Double")
        XCTAssertEqual(try parse(#""q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83d\ude00 é""#), .string("q\" b\\ s/ \u{8}\u{C}\n\r\t é 😀 é"))
        XCTAssertEqual(try parse("[]"), .array([]))
    }

    /// The same documents through Foundation's parser give the same strings and numbers.
    func testAgreesWithFoundationOnWellFormedHeaders() throws {
        let header = SafeTensors.encode(["w": Tensor(shape: [2, 1], values: [1, 2])], metadata: ["k": "v \u{1} ü \"q\""])
        let length = Int(header[0])
        let json = Array(header[8 ..< 8 + length])
        let ours = try json.withUnsafeBufferPointer { try StrictJSON.parse($0) }
        let theirs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        guard case .object(let members) = ours else { return XCTFail("\(ours)") }
        XCTAssertEqual(Set(members.map(\.key)), Set(theirs.keys))
        XCTAssertEqual((theirs["__metadata__"] as? [String: String])?["k"], "v \u{1} ü \"q\"")
        XCTAssertEqual(members.first { $0.key == "__metadata__" }?.value, .object([("k", .string("v \u{1} ü \"q\""))]))
    }

    func testMalformedTextIsRefusedWithWhereAndWhy() {
        let cases: [(String, Int, String)] = [
            ("", 0, "unexpected end of text"),
            ("{", 1, "expected a key string, found end of text"),
            (#"{"a" 1}"#, 5, "expected ':', found '1'"),
            (#"{"a":1,}"#, 7, "expected a key string, found '}'"),
            (#"{"a":1 "b":2}"#, 7, "expected ',' or '}', found '\"'"),
            ("[1 2]", 3, "expected ',' or ']', found '2'"),
            ("01", 1, "numbers may not have leading zeros"),
            ("-", 1, "a number needs a digit after '-'"),
            ("1.", 2, "a number needs a digit after '.'"),
            ("1e+", 3, "a number needs a digit in its exponent"),
            ("tru", 0, "unexpected 't'"),
            ("{} {}", 3, "unexpected '{' after the value"),
            (#"{"a":1,"a":2}"#, 7, "duplicate key 'a'"),
            ("\"a\u{1}\"", 2, "control character 0x1 in a string (it must be escaped)"),
            (#""\x""#, 2, "invalid escape \\'x'"),
            (#""\u12""#, 3, "a \\u escape needs four hex digits"),
            (#""\ud800""#, 7, "lone surrogate \\ud800 in a string"),
            (#""\udc00""#, 7, "lone surrogate \\udc00 in a string"),
            (#""\ud800\u0041""#, 13, "invalid surrogate pair in a string"),
            ("\"abc", 4, "unterminated string"),
        ]
        for (text, offset, reason) in cases {
            XCTAssertEqual(failure(text), JSONSyntaxError(offset: offset, reason: reason), text)
        }
        for bytes: [UInt8] in [[0x22, 0xC0, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE2, 0x82]] {
            let error = bytes.withUnsafeBufferPointer { buffer -> JSONSyntaxError? in
                do { _ = try StrictJSON.parse(buffer); return nil } catch { return error as? JSONSyntaxError }
            }
            XCTAssertTrue(error?.reason.contains("UTF-8") ?? false, "\(bytes): \(String(describing: error))")
        }
    }

    func testDeepNestingIsRefusedNotRecursedInto() {
        let depth = StrictJSON.maximumDepth
        XCTAssertNoThrow(try parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)))
        XCTAssertEqual(failure(String(repeating: "[", count: 100_000))?.reason, "nested deeper than \(depth) levels")
        XCTAssertEqual(failure(String(repeating: "{\"a\":", count: depth + 1) + "1" + String(repeating: "}", count: depth + 1))?.reason,
                       "nested deeper than \(depth) levels")
    }
}
