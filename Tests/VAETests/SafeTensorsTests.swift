import Foundation
import TestSupport
import XCTest
@testable import FileFormats
@testable import VAE

final class SafeTensorsTests: XCTestCase {
    func testEncodeDecodeRoundTrip() throws {
        let tensors = ["b": Tensor(shape: [3], values: [1, -2.5, .pi]),
                       "a.weight": Tensor(shape: [2, 2], values: [0, 1, 2, 3])]
        let bytes = SafeTensors.encode(tensors, metadata: ["note": "quote \" and \\ and ü"])
        let headerLength = bytes[0 ..< 8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual((8 + headerLength) % 8, 0, "data is 8-byte aligned")
        let decoded = try SafeTensors.decode(bytes)
        XCTAssertEqual(decoded.tensors, tensors)
        XCTAssertEqual(decoded.metadata["note"], "quote \" and \\ and ü")
    }

    func testMalformedFilesAreRejectedWithReasons() throws {
        let good = SafeTensors.encode(["x": Tensor(shape: [2], values: [1, 2])], metadata: [:])
        func reason(_ bytes: [UInt8]) -> String? {
            do { _ = try SafeTensors.decode(bytes, path: "f"); return nil } catch let error as WeightsError {
                return error.description
            } catch { return "unexpected \(error)" }
        }
        XCTAssertNotNil(reason([1, 2, 3]))                                   // shorter than the length field
        var hugeHeader = good; hugeHeader[0] = 0xFF; hugeHeader[5] = 0x7F
        XCTAssertTrue(reason(hugeHeader)?.contains("f is not a safetensors file: its first 8 bytes give a header length of") ?? false)
        XCTAssertTrue(reason(Array(good.dropLast(1)))?.contains("outside") ?? false)   // truncated data
        func withHeader(_ json: String, data: Int = 8) -> [UInt8] {
            var out = [UInt8]()
            withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { out.append(contentsOf: $0) }
            return out + Array(json.utf8) + [UInt8](repeating: 0, count: data)
        }
        XCTAssertEqual(reason(withHeader("not json")), "f is not a safetensors file: its header does not start with a JSON object")
        XCTAssertEqual(reason(withHeader("{not json")), "f is not a valid safetensors file: header is not valid JSON: expected a key string, found 'n' at byte 9")
        XCTAssertTrue(reason(withHeader("[1, 2]"))?.contains("is not a safetensors file: its header does not start with a JSON object") ?? false)
        XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}"#))?.contains("of F16 needs 4") ?? false)
        XCTAssertNil(reason(withHeader(#"{"x":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}}"#)))
        XCTAssertNil(reason(withHeader(#"{"x":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#)))
        for integer in ["I64", "I32", "I8", "U8", "BOOL"] {
            XCTAssertEqual(reason(withHeader(#"{"x":{"dtype":"\#(integer)","shape":[0],"data_offsets":[0,8]}}"#)),
                           "f is not a valid safetensors file: tensor 'x' has dtype \(integer), an integer type: weights must be floating point (F32, F16, BF16, F64)")
        }
        XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"Q4","shape":[2],"data_offsets":[0,8]}}"#))?.contains("dtype 'Q4', which this program does not read") ?? false)
        XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#))?.contains("needs 12") ?? false)
        XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#))?.contains("outside") ?? false)
        XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"F32","shape":[2]}}"#))?.contains("lacks") ?? false)
        XCTAssertTrue(reason(withHeader(#"{"__metadata__":{"a":1}}"#))?.contains("not a string") ?? false)
        // Shapes and offsets are integers, not booleans, fractions or strings.
        for shape in ["[true, 2]", "[2.0]", "[\"2\"]", "[-2]", "2", "[1e0]", "[null]", "[18446744073709551616]"] {
            XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"F32","shape":\#(shape),"data_offsets":[0,8]}}"#))?
                .contains("not a list of non-negative 64-bit integers") ?? false, shape)
        }
        XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8,8]}}"#))?.contains("not two") ?? false)
        XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"x":{}}"#))?.contains("duplicate key 'x'") ?? false)
        // A control character in a tensor name is escaped, so the message stays on one line.
        let named = reason(withHeader(#"{"a\nb":{"dtype":"F16","shape":[2],"data_offsets":[0,8]}}"#)) ?? ""
        XCTAssertTrue(named.contains(#"'a\u{a}b'"#) && !named.contains("\n"), named)
    }

    /// The file of the bug report: a shape whose element count overflows 64 bits trapped (SIGILL)
    /// while its size was computed. It must be refused with a message instead.
    func testShapesThatOverflowAreRefusedNotTrapped() throws {
        for side in [1_099_511_627_776, 4_294_967_296, Int.max] {
            let json = #"{"encoder.hidden.weight":{"dtype":"F32","shape":[\#(side),\#(side)],"data_offsets":[0,16]}}"#
            var file = [UInt8]()
            withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { file.append(contentsOf: $0) }
            file += Array(json.utf8) + [UInt8](repeating: 0, count: 16)
            XCTAssertThrowsError(try SafeTensors.decode(file, path: "big.safetensors")) {
                XCTAssertEqual($0 as? WeightsError, .malformed(path: "big.safetensors", reason:
                    "tensor 'encoder.hidden.weight' has shape [\(side), \(side)], too large for any file"))
            }
            // Through the loader the commands use, too.
            let path = temporaryPath("big.safetensors")
            try file.write(to: path)
            XCTAssertThrowsError(try WeightsFile.load(path)) { XCTAssertTrue($0 is WeightsError, "\($0)") }
        }
        // 2^62 elements of 4 bytes overflow only in the byte count; 2^64 does not fit an Int at all.
        XCTAssertNil(SafeTensors.byteCount(of: [1 << 62]))
        XCTAssertNil(SafeTensors.byteCount(of: [1 << 31, 1 << 31]))
        XCTAssertEqual(SafeTensors.byteCount(of: [0, Int.max]), 0)
        XCTAssertEqual(SafeTensors.byteCount(of: [512, 784]), 512 * 784 * 4)
        XCTAssertEqual(SafeTensors.byteCount(of: []), 4, "a scalar holds one element")
    }

    func testHeaderLengthIsCheckedAgainstTheFileAndTheFormatsLimit() throws {
        var file: [UInt8] = [2, 0, 0, 0, 0, 0, 0, 0] + Array("{}".utf8)
        XCTAssertEqual(try SafeTensors.decode(file).tensors.count, 0, "an empty header with no tensors is valid")
        for length: UInt64 in [11, 1 << 40, UInt64.max] {
            withUnsafeBytes(of: length.littleEndian) { file.replaceSubrange(0 ..< 8, with: $0) }
            XCTAssertThrowsError(try SafeTensors.decode(file)) {
                XCTAssertTrue(($0 as? WeightsError)?.description.contains("is not a safetensors file: its first 8 bytes give a header length of \(length)") ?? false, "\($0)")
            }
        }
    }

    /// A picture, an archive or a data file passed as weights is named for what it is, not by the header
    /// length its first bytes happen to spell.
    func testFilesOfAnotherKnownKindAreNamed() throws {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 40)
        XCTAssertThrowsError(try SafeTensors.decode(png, path: "grid.png")) {
            XCTAssertEqual($0 as? WeightsError, .notSafeTensorsButKnown(path: "grid.png", kind: "a PNG image"))
            XCTAssertEqual("\($0)", "grid.png is a PNG image, not a safetensors file")
        }
        XCTAssertThrowsError(try SafeTensors.decode([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3], path: "x.gz")) {
            XCTAssertEqual("\($0)", "x.gz is a gzip file (a compressed data set?), not a safetensors file")
        }
        let text = Array("hello, this is text and no weights".utf8)
        XCTAssertThrowsError(try SafeTensors.decode(text, path: "notes.txt")) {
            XCTAssertTrue("\($0)".hasPrefix("notes.txt is not a safetensors file: its first 8 bytes give a header length"), "\($0)")
        }
        // A real header of 640 bytes starts 0x80 0x02, as a pickle does: it is read, not called a checkpoint.
        var metadata = ["note": String(repeating: "x", count: 560)]
        var encoded = SafeTensors.encode(["w": Tensor(shape: [1], values: [1])], metadata: metadata)
        while encoded[0] != 0x80 || encoded[1] != 0x02 {
            metadata["note"]! += "x"
            encoded = SafeTensors.encode(["w": Tensor(shape: [1], values: [1])], metadata: metadata)
        }
        XCTAssertEqual(try SafeTensors.decode(encoded).metadata["note"], metadata["note"])
        var pickle: [UInt8] = [0x80, 0x02, 0x7D, 0x71, 0x00, 0x28, 0x58, 0x05] + [UInt8](repeating: 0x61, count: 64)
        pickle[9] = 0x2E
        XCTAssertThrowsError(try SafeTensors.decode(pickle, path: "m.pt")) {
            XCTAssertTrue("\($0)".contains("is a PyTorch checkpoint (a pickle"), "\($0)")
        }
    }

    /// As in Python's safetensors, the tensors must tile the data section: no gap, no overlap, nothing after.
    func testTensorsMustCoverTheDataExactly() throws {
        func reason(_ json: String, data: Int) -> String {
            var out = [UInt8]()
            withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { out.append(contentsOf: $0) }
            out += Array(json.utf8) + [UInt8](repeating: 0, count: data)
            do { _ = try SafeTensors.decode(out, path: "f"); return "accepted" } catch { return "\(error)" }
        }
        let a = #""a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        XCTAssertEqual(reason("{\(a)}", data: 4), "accepted")
        XCTAssertTrue(reason("{\(a)}", data: 8).contains("cover 4 of the 8 data bytes"))
        XCTAssertTrue(reason(#"{\#(a),"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#, data: 12).contains("leaving bytes 4..<8 unused"))
        XCTAssertTrue(reason(#"{\#(a),"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: 4).contains("inside the tensor before it"))
        XCTAssertEqual(reason(#"{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]},\#(a)}"#, data: 8), "accepted", "any order in the header")
        XCTAssertEqual(reason(#"{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},\#(a)}"#, data: 4), "accepted", "empty tensors")
    }
}
