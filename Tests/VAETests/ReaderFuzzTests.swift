import Foundation
import XCTest
@testable import LetterData
@testable import Support

/// Seeded fuzzing of every data reader, in process: IDX images and labels (plain and gzip), gzip
/// streams, CSV and the mapping file. Each reader gets `FuzzCampaign.cases` mutated inputs (1,000 by
/// default; `LATENT_EXPLORER_FUZZ_CASES=100000 swift test --filter Fuzz` for a long campaign); none may
/// crash, and each refusal must be a `DataError` with a one-line message.
final class ReaderFuzzTests: XCTestCase {
    /// Distinct seeds per reader, so that the readers do not all see the same edit sequence.
    private func mutator(_ salt: UInt64, tokens: [String] = [], focus: Range<Int>? = nil) -> FuzzMutator {
        FuzzMutator(seed: FuzzCampaign.seed &* 1_000_003 &+ salt, tokens: tokens, focus: focus)
    }

    /// Three small images with varied pixels, labels 1, 13 and 26.
    private let images: ImageSet = {
        var pixels: [UInt8] = []
        for image in 0 ..< 3 { for offset in 0 ..< ImageSet.pixelCount { pixels.append(UInt8((image * 71 + offset * 5) % 256)) } }
        return ImageSet(pixels: pixels, labels: [1, 13, 26])
    }()

    private func idxFiles(_ set: ImageSet, gzip: Bool) throws -> (images: [UInt8], labels: [UInt8]) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-fuzz-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try DatasetWriter.writeIDX(set, imagesPath: folder + "/i", labelsPath: folder + "/l", gzip: gzip, transposed: true)
        func raw(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
        return (try raw(folder + "/i"), try raw(folder + "/l"))
    }

    private func assertBothOutcomes(_ campaign: FuzzCampaign, file: StaticString = #filePath, line: UInt = #line) {
        // A campaign that only ever accepts, or only ever refuses, is not exploring the reader.
        XCTAssertGreaterThan(campaign.accepted, 0, "\(campaign.name): no mutated input was accepted", file: file, line: line)
        XCTAssertGreaterThan(campaign.refused, 0, "\(campaign.name): no mutated input was refused", file: file, line: line)
    }

    private static func isDataError(_ error: Error) -> Bool { error is DataError }

    func testFuzzIDXImages() throws {
        let seeds = [try idxFiles(images, gzip: false).images, try idxFiles(images.prefix(1), gzip: false).images,
                     try idxFiles(images.prefix(0), gzip: false).images]
        var fuzz = mutator(1, focus: 0 ..< 16)
        let campaign = FuzzCampaign.run("idx-images", mutator: &fuzz, makeCase: { $0.mutate($0.pick(seeds)) },
                                        isTyped: Self.isDataError) { bytes in
            for transposed in [true, false] {
                let (count, pixels) = try IDXReader.parseImages(bytes, path: "images", transposed: transposed)
                XCTAssertEqual(pixels.count, count * ImageSet.pixelCount)
                XCTAssertLessThanOrEqual(pixels.count, bytes.count - IDXReader.imagesHeaderSize)
            }
        }
        assertBothOutcomes(campaign)
    }

    func testFuzzIDXLabels() throws {
        let seeds = [try idxFiles(images, gzip: false).labels, try idxFiles(images.prefix(0), gzip: false).labels]
        var fuzz = mutator(2, focus: 0 ..< 8)
        let campaign = FuzzCampaign.run("idx-labels", mutator: &fuzz, makeCase: { $0.mutate($0.pick(seeds)) },
                                        isTyped: Self.isDataError) { bytes in
            let labels = try IDXReader.parseLabels(bytes, path: "labels")
            XCTAssertLessThanOrEqual(labels.count, bytes.count - IDXReader.labelsHeaderSize)
            XCTAssertTrue(labels.allSatisfy { (0 ... 255).contains($0) })
        }
        assertBothOutcomes(campaign)
    }

    /// Gzipped IDX: half the cases damage the compressed bytes, half damage the IDX inside a valid gzip.
    func testFuzzGzippedIDX() throws {
        let plain = [try idxFiles(images, gzip: false).images, try idxFiles(images.prefix(1), gzip: false).images]
        let compressed = [try idxFiles(images, gzip: true).images, try idxFiles(images.prefix(1), gzip: true).images]
        var fuzz = mutator(3, focus: 0 ..< 16)
        let campaign = FuzzCampaign.run("idx-gzip", mutator: &fuzz, makeCase: { fuzz in
            fuzz.chance(0.5) ? fuzz.mutate(fuzz.pick(compressed)) : (try? DatasetWriter.compress(fuzz.mutate(fuzz.pick(plain)))) ?? []
        }, isTyped: Self.isDataError) { bytes in
            let inflated = FileBytes.isGzip(bytes) ? try FileBytes.inflateGzip(bytes, path: "images.gz") : bytes
            let (count, pixels) = try IDXReader.parseImages(inflated, path: "images.gz", transposed: true)
            XCTAssertEqual(pixels.count, count * ImageSet.pixelCount)
        }
        assertBothOutcomes(campaign)
    }

    /// Gzip streams on their own: empty, text, random and highly compressible payloads, several
    /// members, trailing zeros, and a payload past the (lowered) size limit.
    func testFuzzGzipStreams() throws {
        let limit = 1 << 20
        var random = SeededGenerator(seed: 7)
        let payloads: [[UInt8]] = [
            [], Array("1 65 97\n2 66 98\n".utf8), (0 ..< 3_000).map { _ in UInt8(truncatingIfNeeded: random.next()) },
            [UInt8](repeating: 0, count: 50_000), [UInt8](repeating: 9, count: limit + 1),
        ]
        var seeds = try payloads.map { try DatasetWriter.compress($0) }
        seeds.append(seeds[1] + seeds[2])                              // two members
        seeds.append(seeds[1] + [UInt8](repeating: 0, count: 100))     // zero padding after the stream
        var fuzz = mutator(4, tokens: ["\u{1F}\u{8B}\u{8}\0", "\0\0\0\0"], focus: 0 ..< 10)
        var tooLarge = 0
        let campaign = FuzzCampaign.run("gzip", mutator: &fuzz, makeCase: { $0.mutate($0.pick(seeds)) }, isTyped: { error in
            if case .tooLarge? = error as? DataError { tooLarge += 1 }
            return error is DataError
        }) { bytes in
            let inflated = try FileBytes.inflateGzip(bytes, path: "stream.gz", limit: limit)
            XCTAssertLessThanOrEqual(inflated.count, limit)
        }
        assertBothOutcomes(campaign)
        XCTAssertGreaterThan(tooLarge, 0, "the size limit was reached")
    }

    func testFuzzCSV() throws {
        let sample = images.prefix(2)
        func csv(_ format: (UInt8) -> String, header: String = "", lineEnd: String = "\n") -> [UInt8] {
            var lines = header.isEmpty ? [] : [header]
            for index in 0 ..< sample.count {
                lines.append(([String(sample.labels[index])] + sample.image(index).map(format)).joined(separator: ","))
            }
            return Array(lines.joined(separator: lineEnd).utf8) + Array(lineEnd.utf8)
        }
        let seeds = [
            csv { String($0) }, csv { "\(Double($0))" }, csv { "\(Double($0) / 255)" },
            Array("\u{FEFF}".utf8) + csv({ String($0) }, header: "label," + (0 ..< 784).map { "p\($0)" }.joined(separator: ","), lineEnd: "\r\n"),
        ]
        var fuzz = mutator(5, tokens: [",", "\n", "\r\n", "\r", "\u{FEFF}", "0", "255", "256", "-1", "-0", "13.0", "0.5", "1e999", "1e-5",
                                       "nan", "inf", "", " ", "\t", "\"", "label", "pixel1", ".", "-", "+", "e", "0x1F", "65536",
                                       "99999999999999999999999", "00000000000000000001", ",,", "\n\n", "1.5e2", "2.55E2"])
        let campaign = FuzzCampaign.run("csv", mutator: &fuzz, makeCase: { $0.mutate($0.pick(seeds)) }, isTyped: Self.isDataError) { bytes in
            let set = try CSVReader.parse(bytes, path: "letters.csv")
            XCTAssertGreaterThan(set.count, 0)
            XCTAssertTrue(set.labels.allSatisfy { ClassNames.labelRange.contains($0) })
        }
        assertBothOutcomes(campaign)
    }

    func testFuzzMapping() throws {
        let mapping = LabelledDataset.letterLabels.map { "\($0) \(64 + $0) \(96 + $0)" }.joined(separator: "\n")
        let seeds = [Array((mapping + "\n").utf8), Array(mapping.replacingOccurrences(of: "\n", with: "\r\n").utf8),
                     Array("\u{FEFF}0 48\n\n9\t57\n".utf8)]
        var fuzz = mutator(6, tokens: [" ", "\t", "\n", "\r\n", "\u{FEFF}", "0", "10", "13", "127", "55296", "1114111", "1114112",
                                       "4294967296", "-1", "65535", "65536", "8232", "65279", "a", "1 1", "\u{0}"])
        let campaign = FuzzCampaign.run("mapping", mutator: &fuzz, makeCase: { $0.mutate($0.pick(seeds)) }, isTyped: Self.isDataError) { bytes in
            let names = try ClassNames.parseMapping(bytes, path: "mapping.txt")
            XCTAssertFalse(names.isEmpty)
            for name in names.values {
                XCTAssertFalse(name.isEmpty)
                XCTAssertFalse(name.unicodeScalars.contains { $0.properties.generalCategory == .control }, name.debugDescription)
            }
        }
        assertBothOutcomes(campaign)
    }
}
