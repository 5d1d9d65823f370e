import LetterData
import VAE

/// The letters the explorer shows and votes with: test letters (encoded, browsed, scattered) and
/// reference letters (the kNN's training codes), sampled per class so every class appears.
public struct ExplorerData: Sendable {
    public let test: ImageSet
    /// Where each shown test letter sits in the data set's test split.
    public let testSourceIndices: [Int]
    public let reference: ImageSet
    public let catalog: ClassCatalog
    /// The names of the letters' labels: a conditional model's classes are matched to them.
    public let classNames: [Int: String]
    /// Whether the test images are real handwriting (a data set folder, not generated or mixed).
    public var testImagesAreReal = false

    /// The seed of the per-class samples: the same data set always shows the same letters.
    public static let samplingSeed: UInt64 = 8
    /// Training letters whose codes the nearest-class vote uses.
    public static let referenceCount = 5_200
    /// The seed of the synthetic test letters: the test split of `SyntheticLetters.makeDataset()`,
    /// what `--data synthetic` trains and scores with, so "test #12" means the same letter everywhere.
    public static let syntheticTestSeed = SyntheticLetters.testSeed(for: SyntheticLetters.datasetSeed)
    /// The seed of the synthetic reference letters (drawn apart from both splits).
    public static let syntheticReferenceSeed: UInt64 = 77
    /// Synthetic reference letters: 100 of each class.
    public static let syntheticReferenceCount = 2_600

    /// Up to `testCount` test letters and `referenceCount` training letters, stratified by class: a
    /// data set sorted by class (NIST's test file) shows all its classes, not just the first few.
    public init(dataset: LabelledDataset, testCount: Int, referenceCount: Int = ExplorerData.referenceCount) {
        let (test, sources) = dataset.test.stratifiedSample(count: testCount, seed: Self.samplingSeed)
        let reference = dataset.train.stratifiedSample(count: referenceCount, seed: Self.samplingSeed &+ 1).images
        self.init(test: test, testSourceIndices: sources, reference: reference, classNames: dataset.classNames, name: dataset.name)
    }

    /// The images whose codes a view of this data needs, in `ModelView.replaceModel(_:codes:)`'s order:
    /// the test letters, then the reference letters.
    public var codeImages: ImageSet { ImageSet.concatenating([test, reference]) }

    /// Throws `ModelError.unknownClass` in one line when `model` is conditional and lacks a class of
    /// these letters (it has no one-hot input for it): check before making a `ModelView`.
    public func checkClasses(of model: VAEModel) throws {
        _ = try ClassMap(model: model, dataset: LabelledDataset(name: "explorer", train: reference, test: test, classNames: classNames))
    }

    /// Sets made elsewhere (the synthetic generator makes balanced sets itself).
    public init(test: ImageSet, testSourceIndices: [Int]? = nil, reference: ImageSet, classNames: [Int: String], name: String) {
        self.test = test
        self.testSourceIndices = testSourceIndices ?? Array(0 ..< test.count)
        self.reference = reference
        self.classNames = classNames
        catalog = ClassCatalog(dataset: LabelledDataset(name: name, train: reference, test: test, classNames: classNames))
    }
}
