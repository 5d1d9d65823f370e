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

    public init(source: DataSource, testSplit: TestSplit = .all, trainOnRealTest: Bool = false, realRepeat: Int = 1) {
        self.source = source
        self.testSplit = testSplit
        self.trainOnRealTest = trainOnRealTest
        self.realRepeat = realRepeat
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
            if dataset.train.count > 0 || !part.isReal {
                trains.append(dataset.train.repeated(times))
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
            if trainOnRealTest || testOnly {
                trains.append(dataset.test.subset(partition.rest).repeated(times))
                trainNames.append(counted("test-rest", partition.rest.count))
                // Early stopping watches the validation part: real letters, each once, never trained on.
                validations.append(dataset.test.subset(partition.validation))
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
        let singlePlain = parts.count == 1 && testSplit == .all && !trainOnRealTest && realRepeat == 1 && notes.isEmpty
        return LabelledDataset(name: singlePlain ? loaded[0].name : name,
                               train: ImageSet.concatenating(trains), test: ImageSet.concatenating(tests),
                               classNames: classNames, validation: validation,
                               note: notes.isEmpty ? nil : notes.joined(separator: "; "))
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
