import Foundation
import XCTest
@testable import FileFormats
@testable import VAE

/// Seeded fuzzing of safetensors decoding: the header length, the JSON header (numbers, strings,
/// nesting, keys), offsets, shapes, dtypes, metadata and the data section. `FuzzCampaign.cases` cases
/// (1,000 by default, `LATENT_EXPLORER_FUZZ_CASES` for more); none may crash, every refusal must be a
/// `WeightsError` with a one-line message, and every accepted file must hold exactly what its header
/// says. Accepted files are also loaded as models through `WeightsFile`, as the commands load them.
final class SafeTensorsFuzzTests: XCTestCase {
    /// A small model's tensors with metadata, and a file with no tensors.
    private var seeds: [[UInt8]] {
        let model = VAEModel(configuration: ModelConfiguration.mlp(inputSize: 6, hiddenSize: 4, latentDim: 2), seed: 1)
        let metadata = ModelMetadata(configuration: model.configuration, dataset: "fuzz", classes: ["a", "b"], epochs: 3)
        let tensors = ["x": Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]), "scalar": Tensor(shape: [], values: [7]),
                       "empty": Tensor(shape: [0, 4], values: [])]
        return [SafeTensors.encode(model.tensors(), metadata: metadata.strings),
                SafeTensors.encode(tensors, metadata: ["note": "ü \" \\ \n"]),
                SafeTensors.encode([:], metadata: [:])]
    }

    private static let jsonTokens = [
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "\\udc00\\ud800", "\\u00e9", "null", "true", "false",
        "0", "-0", "1", "-1", "01", "1.5", "1e400", "-1e400", "1E-400", "4294967296", "1099511627776", "9223372036854775807",
        "9223372036854775808", "18446744073709551616", "\"F32\"", "\"F16\"", "\"BF16\"", "\"I64\"", "\"dtype\"", "\"shape\"",
        "\"data_offsets\"", "\"__metadata__\"", "\"shape\":[1099511627776,1099511627776]", "\"shape\":[4294967296,4294967296]",
        "\"data_offsets\":[0,18446744073709551615]", "\"x\":{}", "[[[[[[[[[[[[[[[[", "\u{0}", "\u{1F}", "\u{FF}", "\u{C0}\u{80}",
        "\u{ED}\u{A0}\u{80}", "\u{F4}\u{90}\u{80}\u{80}", "é", " ", "\n",
    ]

    /// Splits a file into its header length, JSON and data; mutates one part or the whole.
    private func makeCase(_ fuzz: inout FuzzMutator, seeds: [[UInt8]]) -> [UInt8] {
        let file = fuzz.pick(seeds)
        let headerLength = Int(file[0]) | Int(file[1]) << 8 | Int(file[2]) << 16 | Int(file[3]) << 24
        let header = Array(file[8 ..< 8 + headerLength]), data = Array(file[(8 + headerLength)...])
        func assemble(_ header: [UInt8], _ data: [UInt8]) -> [UInt8] {
            var out = [UInt8]()
            withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
            return out + header + data
        }
        switch fuzz.int(0 ..< 10) {
        case 0 ..< 5:   // the JSON, with the length kept consistent so that the parser sees it all
            return assemble(fuzz.mutate(header), data)
        case 5:   // the data section
            return assemble(header, fuzz.mutate(data))
        case 6:   // the length field alone
            var out = file
            let value = fuzz.pick(FuzzMutator.interestingIntegers) &+ UInt64(bitPattern: Int64(fuzz.int(-3 ..< 4)))
            withUnsafeBytes(of: value.littleEndian) { out.replaceSubrange(0 ..< 8, with: $0) }
            return out
        default:   // anywhere
            return fuzz.mutate(file)
        }
    }

    func testFuzzSafeTensorsDecoding() throws {
        let seeds = self.seeds
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-fuzz-st-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var fuzz = FuzzMutator(seed: FuzzCampaign.seed &* 1_000_003 &+ 7, tokens: Self.jsonTokens)
        var loadedAsModels = 0
        let campaign = FuzzCampaign.run("safetensors", mutator: &fuzz, makeCase: { makeCase(&$0, seeds: seeds) },
                                        isTyped: { $0 is WeightsError }) { bytes in
            let (tensors, _) = try SafeTensors.decode(bytes, path: "model.safetensors")
            let headerLength = bytes[0 ..< 8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            var total = 0
            for tensor in tensors.values {
                XCTAssertEqual(tensor.values.count, tensor.shape.reduce(1, *))
                total += tensor.values.count * SafeTensors.bytesPerElement
            }
            XCTAssertEqual(total, bytes.count - 8 - headerLength, "the tensors cover the data exactly")
            // As the commands would: accepted or refused with a WeightsError, never a crash.
            let path = folder + "/model.safetensors"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try WeightsFile.load(path)
                loadedAsModels += 1
            } catch {
                XCTAssertTrue(error is WeightsError && !"\(error)".contains("\n"), "\(type(of: error)): \(error)")
            }
        }
        XCTAssertGreaterThan(campaign.accepted, 0, "no mutated file was accepted")
        XCTAssertGreaterThan(campaign.refused, 0, "no mutated file was refused")
        XCTAssertGreaterThan(campaign.kinds.count, 20, "the campaign reached few of the checks: \(campaign.kinds.sorted())")
        print("fuzz safetensors: \(loadedAsModels) accepted files loaded as models")
    }
}
