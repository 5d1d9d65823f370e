import ArgumentParser
import Foundation
import ExplorerCore
import LetterData
import VAE

/// A point of the latent space on the command line: a latent code (comma-separated numbers such as
/// `0.5,-1.2`, as `grid --at` takes) or a test letter's index (a whole number such as `1234`, as the
/// explorer shows it: "test #1234"), which stands for that letter's latent mean. A 1-D code needs a
/// decimal point (`2.0`), since `2` is an index; a code that starts with a minus is written with `=`
/// (`--from=-2,0`), or the parser takes it for an option.
enum LatentPoint: ExpressibleByArgument, CustomStringConvertible {
    case code([Float])
    case testLetter(Int)

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let index = Int(text) else { return nil }
            self = .testLetter(index)
            return
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0!.isFinite }) else { return nil }
        self = .code(parts.map { $0! })
    }

    var description: String {
        switch self {
        case .code(let values): return "(" + values.map { String(format: "%+.2f", $0) }.joined(separator: ", ") + ")"
        case .testLetter(let index): return "test letter #\(index)"
        }
    }
}

/// Turns `LatentPoint`s into codes for one model, loading the test letters only when an index needs them.
struct LatentPointResolver {
    let inference: Inference
    let dataOptions: DataOptions
    let latentDim: Int
    private var test: (images: ImageSet, classNames: [Int: String])?

    init(inference: Inference, latentDim: Int, dataOptions: DataOptions) {
        self.inference = inference
        self.latentDim = latentDim
        self.dataOptions = dataOptions
    }

    mutating func code(_ point: LatentPoint, option: String) throws -> (code: [Float], name: String) {
        switch point {
        case .code(let values):
            guard values.count == latentDim else {
                throw CLIError("\(option) has \(values.count) values; the model has \(latentDim) latent dimensions")
            }
            return (values, point.description)
        case .testLetter(let index):
            let (images, classNames) = try testLetters(option: option, index: index)
            let noun = ImageNoun(classNames: Array(classNames.values))
            guard index < images.count else {
                throw CLIError("\(option) \(index): the test split has \(images.count) \(noun.plural) (0-\(images.count - 1))")
            }
            try CLIError.wrap { try inference.configuration.checkFits(ImageSet.geometry) }
            let label = images.labels[index]
            let letter = images.subset([index])
            return (inference.encodeMeans(letter, classes: try classes(of: letter, classNames: classNames)),
                    "test \(noun.singular) #\(index) ('\(classNames[label] ?? String(label))')")
        }
    }

    /// A conditional model's class index of each of `images` (nil for an unconditional model): its codes
    /// are q(z | x, y), each image encoded with its label. Refuses a label the model has no class for.
    func classes(of images: ImageSet, classNames: [Int: String]) throws -> [Int32]? {
        guard inference.model.isConditional else { return nil }
        let map = try CLIError.wrap {
            try ClassMap(model: inference.model, dataset: LabelledDataset(name: "test", train: images, test: images, classNames: classNames))
        }
        return map.indices(of: images)
    }

    /// Whether a data set is named (--data, or EMNIST_DIR), so that test-letter indices mean something.
    var dataIsNamed: Bool {
        dataOptions.data != nil || ProcessInfo.processInfo.environment["EMNIST_DIR"].map({ !$0.isEmpty }) == true
    }

    /// The test split indices count in, when a data set is named; else nil.
    mutating func namedTestSet() throws -> (images: ImageSet, classNames: [Int: String])? {
        guard dataIsNamed else { return nil }
        return try testLetters(option: "--data", index: 0)
    }

    /// The test split an index counts in: the data set's (after --letters), or for the synthetic letters
    /// the same test letters the explorer numbers.
    private mutating func testLetters(option: String, index: Int) throws -> (images: ImageSet, classNames: [Int: String]) {
        if let test { return test }
        guard dataIsNamed else {
            throw CLIError("\(option) \(index) is a test-letter index and needs --data (a folder, or 'synthetic'); write a code with a decimal point, e.g. \(index).0, for a 1-D latent value")
        }
        let loaded: (images: ImageSet, classNames: [Int: String])
        switch dataOptions.source {
        case .synthetic(_, let testCount):
            let labels = try ExploreCommand.letterLabels(dataOptions.letters)
            loaded = (StatusLine.run("Drawing \(testCount) synthetic test letters…") {
                SyntheticLetters.makeImageSet(count: testCount, seed: ExplorerData.syntheticTestSeed, labels: labels)
            }, LabelledDataset.letterClassNames)
        case .directory, .mixture:
            let dataset = try dataOptions.load()
            loaded = (dataset.test, dataset.classNames)
        }
        test = loaded
        return loaded
    }
}
