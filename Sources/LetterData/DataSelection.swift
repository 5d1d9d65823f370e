import Foundation
import Support

/// Which images of a data source make up the training and test splits: the whole of each, or, for
/// real data, a fixed part of its test split (`TestPartition`), with the rest of the real test letters
/// and the real training letters optionally added to training several times over.
///
/// The default weights are trained on `synthetic+<real folder>` with `trainOnRealTest`, `realRepeat`
/// and `testSplit = .heldOut`: early stopping watches the real validation part (the data set's
/// `validation`), and the held-out part is only scored, never trained on or watched.
public struct DataSelection: Sendable, Equatable {
    /// Which part of each source's test split is the test split.
    public enum TestSplit: String, CaseIterable, Sendable {
        /// Every test image of every source (synthetic and real).
        case all
        /// The held-out part of each real test split only.
        case heldOut = "heldout"
        /// The validation part of each real test split only.
        case validation
    }

    public var source: DataSource
    public var testSplit: TestSplit
    /// Add the real test letters that are neither held out nor validation to the training split.
    public var trainOnRealTest: Bool
    /// How many times each real training letter appears in the training split (1: once).
    public var realRepeat: Int
    /// How often a real training letter may be repeated: the EMNIST letters (70 MB of pixels) ten
    /// times stay within the program's 1 GB.
    public static let realRepeatRange = 1 ... 10
    /// Make each repeat of a real letter after the first a randomly distorted copy (`LetterDistortion`)
    /// instead of the same bytes again.
    public var distortRepeats: Bool
    /// Give every class of a real folder as many training images as its largest class has (its real
    /// letters times `realRepeat`): a scarce class's letters are repeated more often. Without it a
    /// class keeps its share of the folder (the partial EMNIST copy: 454 real a's, 38 real z's).
    public var balanceClasses: Bool
    /// The seed of the distortions: fixed, so a training recipe gives the same images every time.
    public static let distortionSeed: UInt64 = 23
    /// A balanced folder holds at most this many images, ten times the EMNIST letters' training
    /// split (978 MB of pixels): the same bound as `realRepeatRange` on a balanced set.
    public static let maximumBalancedImages = realRepeatRange.upperBound * LabelledDataset.emnistLettersIDXSizes.train

    public init(source: DataSource, testSplit: TestSplit = .all, trainOnRealTest: Bool = false, realRepeat: Int = 1,
                distortRepeats: Bool = false, balanceClasses: Bool = false) {
        self.source = source
        self.testSplit = testSplit
        self.trainOnRealTest = trainOnRealTest
        self.realRepeat = realRepeat
        self.distortRepeats = distortRepeats
        self.balanceClasses = balanceClasses
    }

    public func load() throws -> LabelledDataset {
        let parts = source.parts
        for case .directory(let path, _) in parts where path.isEmpty { throw DataSelectionError.emptySourceName }
        guard Self.realRepeatRange.contains(realRepeat) else { throw DataSelectionError.badRepeat(realRepeat) }
        let hasReal = parts.contains { $0.isReal }
        if testSplit != .all && !hasReal { throw DataSelectionError.noRealTestSplit(testSplit) }
        if trainOnRealTest && !hasReal { throw DataSelectionError.noRealTestSplit(nil) }
        if trainOnRealTest && testSplit == .all { throw DataSelectionError.wouldScoreTrainingLetters }

        var trains: [ImageSet] = [], tests: [ImageSet] = [], validations: [ImageSet] = []
        var trainNames: [String] = [], testNames: [String] = [], notes: [String] = []
        var classNames: [Int: String] = [:]
        let loaded = try parts.map { try $0.loadSingle() }
        for (part, dataset) in zip(parts, loaded) {
            for (label, name) in dataset.classNames.sorted(by: { $0.key < $1.key }) {
                if let existing = classNames[label], existing != name {
                    throw DataSelectionError.classesDisagree(label: label, existing, name)
                }
                classNames[label] = name
            }
            let name = Self.describe(part, dataset)
            let times = part.isReal ? realRepeat : 1
            func counted(_ what: String, _ count: Int) -> String {
                "\(name) \(what) \(count)" + (times > 1 ? " x\(times)" : "")
            }
            if !part.isReal {
                trains.append(dataset.train)
                trainNames.append(counted("train", dataset.train.count))
            }
            guard part.isReal else {
                if testSplit == .all {
                    tests.append(dataset.test)
                    testNames.append("\(name) test \(dataset.test.count)")
                }
                continue
            }
            let partition = TestPartition(labels: dataset.test.labels)
            // A folder with only a test split: nothing else to train on, so its trainable part is
            // trained on (as --train-on-real-test would), and it is scored on its held-out quarter.
            let testOnly = dataset.train.count == 0
            if testOnly {
                notes.append("\(name) holds only a test split: trained on its part outside the held-out quarter and the validation tenth (\(partition.rest.count) images), validated on that tenth, scored on the held-out quarter")
            }
            var pool: [(ImageSet, String)] = dataset.train.count > 0 ? [(dataset.train, "train")] : []
            if trainOnRealTest || testOnly {
                pool.append((dataset.test.subset(partition.rest), "test-rest"))
                // Early stopping watches the validation part: real letters, each once, never trained on.
                validations.append(dataset.test.subset(partition.validation))
            }
            if balanceClasses {
                let letters = ImageSet.concatenating(pool.map(\.0))
                let (balanced, perClass) = balanced(letters)
                trains.append(balanced)
                trainNames.append("\(name) " + pool.map { "\($0.1) \($0.0.count)" }.joined(separator: " + ")
                                  + " balanced to \(perClass) a class" + (distortRepeats ? ", repeats distorted" : ""))
            } else {
                for (images, what) in pool {
                    trains.append(repeated(images))
                    trainNames.append(counted(what, images.count) + (distortRepeats && times > 1 ? " distorted" : ""))
                }
            }
            let testIndices: [Int]? = switch testSplit {
            case .all: testOnly ? partition.heldOut : nil
            case .heldOut: partition.heldOut
            case .validation: partition.validation
            }
            let test = testIndices.map(dataset.test.subset) ?? dataset.test
            tests.append(test)
            let partName = testSplit == .all ? TestSplit.heldOut.rawValue : testSplit.rawValue
            testNames.append("\(name) test" + (testIndices == nil ? "" : "-\(partName)") + " \(test.count)")
        }
        var name = trainNames.joined(separator: " + ") + "; test: " + testNames.joined(separator: " + ")
        let validation = validations.isEmpty ? nil : ImageSet.concatenating(validations)
        if let validation { name += "; validation: real test-validation \(validation.count)" }
        let singlePlain = parts.count == 1 && testSplit == .all && !trainOnRealTest && realRepeat == 1 && !balanceClasses && notes.isEmpty
        return LabelledDataset(name: singlePlain ? loaded[0].name : name,
                               train: ImageSet.concatenating(trains), test: ImageSet.concatenating(tests),
                               classNames: classNames, validation: validation,
                               note: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    /// Each real letter `realRepeat` times, the repeats distorted when `distortRepeats` says so.
    private func repeated(_ images: ImageSet) -> ImageSet {
        guard distortRepeats, realRepeat > 1 else { return images.repeated(realRepeat) }
        return images.distortedCopies(Array(repeating: realRepeat, count: images.count), seed: Self.distortionSeed)
    }

    /// Every class of `images` repeated to the same count, `realRepeat` times the largest class's
    /// (at most `maximumBalancedImages` in all): a class's letters take turns, so their copies differ
    /// in number by at most one. Returns the images and the count per class.
    private func balanced(_ images: ImageSet) -> (ImageSet, Int) {
        var byLabel: [Int: Int] = [:]
        for label in images.labels { byLabel[label, default: 0] += 1 }
        guard let largest = byLabel.values.max() else { return (images, 0) }
        let perClass = max(min(realRepeat * largest, Self.maximumBalancedImages / byLabel.count), largest)
        var seen: [Int: Int] = [:]
        let copies = images.labels.map { label in
            let (count, position) = (byLabel[label]!, seen[label, default: 0])
            seen[label] = position + 1
            return perClass / count + (position < perClass % count ? 1 : 0)
        }
        let result = distortRepeats ? images.distortedCopies(copies, seed: Self.distortionSeed)
            : images.subset(images.labels.indices.flatMap { Array(repeating: $0, count: copies[$0]) })
        return (result, perClass)
    }

    /// "synthetic-letters", or the data set's kind and its folder: "emnist-letters (idx) in emnist-letters-partial".
    private static func describe(_ part: DataSource, _ dataset: LabelledDataset) -> String {
        guard case .directory(let path, _) = part else { return dataset.name }
        let folder = URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent
        return "\(dataset.name) in \(folder)"
    }
}

/// A data selection that makes no sense, with a one-line message for the user.
public enum DataSelectionError: Error, Equatable, CustomStringConvertible {
    case emptySourceName
    case badRepeat(Int)
    /// A part of real test splits was asked for (nil: `--train-on-real-test`), but no source is real.
    case noRealTestSplit(DataSelection.TestSplit?)
    case wouldScoreTrainingLetters
    case classesDisagree(label: Int, String, String)

    public var description: String {
        switch self {
        case .emptySourceName:
            return "an empty data set name in --data: join names with '+', e.g. synthetic+~/emnist"
        case .badRepeat(let times):
            return "--real-repeat must be between \(DataSelection.realRepeatRange.lowerBound) and \(DataSelection.realRepeatRange.upperBound), not \(times)"
        case .noRealTestSplit(let split):
            let what = split.map { "--test-split \($0.rawValue)" } ?? "--train-on-real-test"
            return "\(what) needs a real data set folder in --data (the synthetic letters have no real test letters)"
        case .wouldScoreTrainingLetters:
            return "--train-on-real-test trains on test letters: choose --test-split heldout or validation, so the test split holds none of them"
        case .classesDisagree(let label, let first, let second):
            return "the mixed data sets disagree on class \(label) (\(TextSanitizer.quoted(first)) and \(TextSanitizer.quoted(second))): only data sets with the same classes mix"
        }
    }
}
