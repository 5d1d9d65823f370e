import Foundation
import XCTest
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
        XCTAssertTrue(reason(hugeHeader)?.contains("runs past the end") ?? false)
        XCTAssertTrue(reason(Array(good.dropLast(1)))?.contains("outside") ?? false)   // truncated data
        func withHeader(_ json: String, data: Int = 8) -> [UInt8] {
            var out = [UInt8]()
            withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { out.append(contentsOf: $0) }
            return out + Array(json.utf8) + [UInt8](repeating: 0, count: data)
        }
        XCTAssertTrue(reason(withHeader("not json"))?.contains("not a JSON object") ?? false)
        XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#))?.contains("only F32") ?? false)
        XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#))?.contains("needs 12") ?? false)
        XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#))?.contains("outside") ?? false)
        XCTAssertTrue(reason(withHeader(#"{"x":{"dtype":"F32","shape":[2]}}"#))?.contains("lacks") ?? false)
        XCTAssertTrue(reason(withHeader(#"{"__metadata__":{"a":1}}"#))?.contains("not a string") ?? false)
    }
}
