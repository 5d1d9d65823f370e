import Foundation
import TestSupport
import XCTest
@testable import FileFormats
@testable import Support
@testable import VAE

/// Text from files reaches messages with every character a terminal would obey escaped: C0 and C1
/// controls, ESC, DEL, the line separators and the bidirectional overrides and isolates.
final class TextSanitizerTests: XCTestCase {
    func testControlsEscapesAndBidiOverridesAreShownEscaped() {
        XCTAssertEqual(TextSanitizer.clean("a\u{1B}]0;title\u{7}b"), "a\\u{1b}]0;title\\u{7}b")
        XCTAssertEqual(TextSanitizer.clean("\u{9B}2J\u{7F}\u{85}"), "\\u{9b}2J\\u{7f}\\u{85}")
        XCTAssertEqual(TextSanitizer.clean("abc\u{202E}fdp.exe"), "abc\\u{202e}fdp.exe")
        for scalar in [0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029] {
            XCTAssertTrue(TextSanitizer.isUnsafe(Unicode.Scalar(UInt32(scalar))!), String(scalar, radix: 16))
        }
        XCTAssertEqual(TextSanitizer.clean("é ü 字 ok"), "é ü 字 ok")
        XCTAssertEqual(TextSanitizer.quoted("abcdef", limit: 3), "'abc…'")
    }

    /// A crafted weight file's architecture, channels and tensor names reach the message escaped.
    func testHostileMetadataAndTensorNamesNeverReachAMessageRaw() throws {
        let model = VAEModel(configuration: ModelConfiguration.mlp(inputSize: 784, hiddenSize: 4, latentDim: 2), seed: 1)
        let hostile = "\u{1B}]0;pwned\u{7}\u{1B}[2J\u{202E}"
        var cases: [[String: String]] = []
        var strings = ModelMetadata(configuration: model.configuration).strings
        strings["architecture"] = hostile
        cases.append(strings)
        strings = ModelMetadata(configuration: model.configuration).strings
        strings["channels"] = hostile
        cases.append(strings)
        var messages: [String] = []
        for metadata in cases {
            let path = temporaryPath("hostile.safetensors")
            try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: metadata), to: path)
            XCTAssertThrowsError(try WeightsFile.load(path)) { messages.append("\($0)") }
        }
        var tensors = model.tensors()
        tensors[hostile] = Tensor(shape: [1], values: [0])
        let path = temporaryPath("hostile-name.safetensors")
        try AtomicFile.write(SafeTensors.encode(tensors, metadata: ModelMetadata(configuration: model.configuration).strings), to: path)
        XCTAssertThrowsError(try WeightsFile.load(path)) { messages.append("\($0)") }
        XCTAssertEqual(messages.count, 3)
        for message in messages {
            XCTAssertFalse(message.unicodeScalars.contains(where: TextSanitizer.isUnsafe), message)
            XCTAssertTrue(message.contains("\\u{1b}]0;pwned"), message)
        }
    }
}
