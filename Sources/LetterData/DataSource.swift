import Foundation

/// Where the program's images come from, as the user names it with `--data` or `EMNIST_DIR`.
public indirect enum DataSource: Sendable, Equatable {
    /// The built-in generator of synthetic handwritten letters.
    case synthetic(trainCount: Int, testCount: Int)
    /// A folder with an EMNIST data set (IDX or CSV; `split` names which, or the first found) or an MNIST-format set.
    case directory(String, split: EMNISTSplit? = nil)
    /// Several sources whose splits are joined: `synthetic+~/emnist-letters-partial`.
    case mixture([DataSource])

    /// The same size as the EMNIST letters CSV export.
    public static let fullSynthetic = DataSource.synthetic(trainCount: LabelledDataset.emnistLettersCSVSizes.train,
                                                                 testCount: LabelledDataset.emnistLettersCSVSizes.test)

    /// Joins the names of a mixture's sources.
    public static let mixtureSeparator: Character = "+"

    /// `--data` wins; then the environment variable `EMNIST_DIR`; then `fallback`.
    /// The word "synthetic" names the built-in generator; names joined by "+" make a mixture (a folder
    /// whose own name contains "+" is still read as one folder); `emnistSplit` applies to every folder.
    public static func resolve(_ argument: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               fallback: DataSource = .fullSynthetic, emnistSplit: EMNISTSplit? = nil) -> DataSource {
        let chosen = argument ?? environment["EMNIST_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        guard let chosen else { return fallback }
        func single(_ name: String) -> DataSource {
            if name == "synthetic" {
                if case .synthetic = fallback { return fallback }
                return .fullSynthetic
            }
            return .directory(name, split: emnistSplit)
        }
        let parts = chosen.split(separator: mixtureSeparator, omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 || FileManager.default.fileExists(atPath: chosen) { return single(chosen) }
        return .mixture(parts.map(single))
    }

    /// The sources a mixture joins (a single source is its own only part).
    public var parts: [DataSource] {
        if case .mixture(let sources) = self { return sources.flatMap(\.parts) }
        return [self]
    }

    /// Whether the images are real handwriting (a folder), not generated.
    public var isReal: Bool {
        if case .directory = self { return true }
        return false
    }

    /// Loads the source as named: a mixture joins its parts' train splits and test splits.
    /// (`DataSelection` chooses parts of real test splits and oversamples real letters.)
    public func load() throws -> LabelledDataset {
        try DataSelection(source: self).load()
    }

    /// Loads one source that is not a mixture.
    func loadSingle() throws -> LabelledDataset {
        switch self {
        case .synthetic(let trainCount, let testCount):
            return SyntheticLetters.makeDataset(trainCount: trainCount, testCount: testCount)
        case .directory(let path, let split):
            return try DatasetLoader.load(directory: path, emnistSplit: split)
        case .mixture:
            preconditionFailure("a mixture is loaded part by part")
        }
    }
}
