import ExplorerCore
import Foundation
@testable import LetterData
@testable import Support
@testable import VAE
import XCTest

/// Semantic fuzzing of data sets: well-formed folders of odd shapes (one image, one class, classes the
/// mapping names but no image has, labels the mapping does not name, image and label files that
/// disagree on the count, headers that announce more or fewer images than the stream holds, gzip or
/// not, IDX or CSV with CRLF or CR line ends and byte order marks). Each folder goes through what the
/// commands do with it, in process: the loader; when it loads and both splits hold images (the
/// commands refuse empty ones), the explorer's samples, an epoch of training and a score.
///
/// Nothing may trap; every refusal is a one-line message with no character a terminal would obey; a
/// set that loads holds exactly the images its files announce. `LATENT_EXPLORER_FUZZ_CASES` and
/// `LATENT_EXPLORER_FUZZ_SEED` run longer or other campaigns (1,000 cases by default).
final class SemanticDataFuzzTests: XCTestCase {
    static let defaultCases = 1_000
    static let defaultSeed: UInt64 = 0xDA7A

    private var cases: Int {
        ProcessInfo.processInfo.environment["LATENT_EXPLORER_FUZZ_CASES"].flatMap(Int.init).map { max($0, 1) } ?? Self.defaultCases
    }

    private var seed: UInt64 {
        ProcessInfo.processInfo.environment["LATENT_EXPLORER_FUZZ_SEED"].flatMap { UInt64($0) } ?? Self.defaultSeed
    }

    private func uniform(_ random: inout SeededGenerator, _ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(random.next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    private let letters = SyntheticLetters.makeImageSet(count: 64, seed: 12)

    /// One split as it will be written: its images, and the counts its two IDX headers announce (a CSV
    /// announces nothing: it holds the rows that have both a label and an image).
    private struct Split {
        var pixels: [UInt8]
        var labels: [Int]
        var announcedImages: Int
        var announcedLabels: Int
    }

    private func makeSplit(_ random: inout SeededGenerator, classes: [Int], notes: inout [String]) -> Split {
        let count = [0, 1, 1, 2, 3, uniform(&random, 4 ... 12)][uniform(&random, 0 ... 5)]
        var pixels: [UInt8] = []
        var labels: [Int] = []
        for _ in 0 ..< count {
            pixels += letters.image(uniform(&random, 0 ... letters.count - 1))
            labels.append(classes[uniform(&random, 0 ... classes.count - 1)])
        }
        var split = Split(pixels: pixels, labels: labels, announcedImages: count, announcedLabels: count)
        switch random.next() % 10 {
        case 0:
            split.announcedImages += [1, 1000, 1 << 31][uniform(&random, 0 ... 2)]
            notes.append("images header announces \(split.announcedImages) of \(count)")
        case 1:
            split.announcedLabels += uniform(&random, 1 ... 3)
            notes.append("labels header announces more")
        case 2 where count > 0:
            split.announcedImages -= 1
            notes.append("images header announces fewer")
        case 3 where count > 0:
            split.labels.removeLast()
            split.announcedLabels -= 1
            notes.append("a label missing")
        default: break
        }
        return split
    }

    private func idx(_ split: Split) -> (images: [UInt8], labels: [UInt8]) {
        func bigEndian(_ values: [Int]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: UInt32(truncatingIfNeeded: $0).bigEndian, Array.init) } }
        var images = bigEndian([0x0803, split.announcedImages, 28, 28])
        let count = split.pixels.count / ImageSet.pixelCount
        for index in 0 ..< count {   // stored transposed, as NIST's files
            let image = split.pixels[index * ImageSet.pixelCount ..< (index + 1) * ImageSet.pixelCount]
            for p in 0 ..< ImageSet.pixelCount { images.append(image[image.startIndex + ImageSet.transposedOffset(p)]) }
        }
        return (images, bigEndian([0x0801, split.announcedLabels]) + split.labels.map { UInt8(clamping: $0) })
    }

    private func csv(_ split: Split, _ random: inout SeededGenerator) -> [UInt8] {
        let end = ["\n", "\r\n", "\r"][uniform(&random, 0 ... 2)]
        var text = String(repeating: "\u{FEFF}", count: uniform(&random, 0 ... 2))
        if random.next() % 3 == 0 { text += (["label"] + (0 ..< ImageSet.pixelCount).map { "p\($0)" }).joined(separator: ",") + end }
        let count = min(split.labels.count, split.pixels.count / ImageSet.pixelCount)
        for index in 0 ..< count {
            let image = split.pixels[index * ImageSet.pixelCount ..< (index + 1) * ImageSet.pixelCount]
            text += ([String(split.labels[index])] + (0 ..< ImageSet.pixelCount).map { String(image[image.startIndex + ImageSet.transposedOffset($0)]) })
                .joined(separator: ",") + end
        }
        return Array(text.utf8)
    }

    func testOddDataSetsLoadExactlyOrRefuseInOneLine() throws {
        var random = SeededGenerator(seed: seed)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-data-fuzz-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var loaded = 0, refused = 0, refusedEmpty = 0, trained = 0
        for number in 0 ..< cases {
            try? FileManager.default.removeItem(atPath: folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var notes: [String] = []
            let classCount = [1, 1, 2, 3, 26][uniform(&random, 0 ... 4)]
            let classes = (0 ..< classCount).map { _ in uniform(&random, 0 ... 30) }
            let train = makeSplit(&random, classes: classes, notes: &notes), test = makeSplit(&random, classes: classes, notes: &notes)
            func write(_ name: String, _ bytes: [UInt8], gzip: Bool) throws {
                let data = gzip ? try DatasetWriter.compress(bytes) : bytes
                try Data(data).write(to: URL(fileURLWithPath: folder + "/" + name + (gzip ? ".gz" : "")))
            }
            let gzip = random.next() % 2 == 0
            if random.next() % 4 == 0 {
                notes.append("csv")
                try write("emnist-letters-train.csv", csv(train, &random), gzip: gzip)
                try write("emnist-letters-test.csv", csv(test, &random), gzip: gzip)
            } else {
                for (name, split) in [("train", train), ("test", test)] {
                    let (images, labels) = idx(split)
                    try write("emnist-letters-\(name)-images-idx3-ubyte", images, gzip: gzip)
                    try write("emnist-letters-\(name)-labels-idx1-ubyte", labels, gzip: gzip)
                }
            }
            if random.next() % 2 == 0 {   // a mapping: classes without images, CRLF, byte order marks
                let named = Set(classes).union((0 ..< uniform(&random, 0 ... 3)).map { _ in uniform(&random, 0 ... 30) })
                let end = ["\n", "\r\n", "\r"][uniform(&random, 0 ... 2)]
                let text = String(repeating: "\u{FEFF}", count: uniform(&random, 0 ... 2))
                    + named.sorted().map { "\($0) \(65 + $0 % 26) \(97 + $0 % 26)" }.joined(separator: end)
                try write("emnist-letters-mapping.txt", Array(text.utf8), gzip: false)
                notes.append("mapping of \(named.count)")
            }
            let summary = "\(classCount) classes, \(train.labels.count) train, \(test.labels.count) test, \(gzip ? "gzip" : "raw"), \(notes.joined(separator: ", "))"

            let dataset: LabelledDataset
            do {
                dataset = try DataSource.directory(folder).load()
            } catch {
                refused += 1
                let message = "\(error)"
                XCTAssertTrue(error is DataError || error is DataSelectionError, "case \(number): \(type(of: error)) \(message) (\(summary))")
                XCTAssertFalse(message.contains("\n") || message.unicodeScalars.contains(where: { TextSanitizer.isUnsafe($0) }),
                               "case \(number): \(message.debugDescription)")
                continue
            }
            loaded += 1
            for set in [dataset.train, dataset.test] {
                XCTAssertEqual(set.pixels.count, set.count * ImageSet.pixelCount, "case \(number): \(summary)")
            }
            XCTAssertTrue(notes.contains("csv") || notes.filter { $0.contains("announces") || $0.contains("missing") }.isEmpty,
                          "case \(number): a set whose headers disagree with its contents loaded (\(summary))")
            guard dataset.train.count > 0, dataset.test.count > 0 else { refusedEmpty += 1; continue }   // as DataOptions.load refuses
            let data = ExplorerData(dataset: dataset, testCount: uniform(&random, 1 ... 30), referenceCount: uniform(&random, 1 ... 30))
            _ = ClassCatalog(dataset: LabelledDataset(name: dataset.name, train: data.reference, test: data.test, classNames: dataset.classNames))
            let model = VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 4, latentDim: uniform(&random, 1 ... 3)), seed: random.next())
            let configuration = TrainingConfiguration(epochs: 1, batchSize: uniform(&random, 1 ... 8), patience: 1,
                                                      validationFraction: [0, 0.1, 0.5][uniform(&random, 0 ... 2)], seed: random.next(),
                                                      snapshotInterval: 0, progressInterval: 1_000)
            _ = Trainer(model: model, dataset: dataset, configuration: configuration).run()
            _ = try Evaluation.run(model: model, dataset: dataset, k: uniform(&random, 1 ... 10))
            trained += 1
        }
        print("semantic data fuzz: \(cases) cases (seed \(seed)): \(loaded) loaded (\(trained) trained and scored, \(refusedEmpty) with an empty split), \(refused) refused, 0 traps")
    }
}
