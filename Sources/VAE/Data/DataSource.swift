import Foundation

/// Where the program's images come from, as the user names it with `--data` or `EMNIST_DIR`.
public enum DataSource: Sendable, Equatable {
    /// The built-in generator of synthetic handwritten letters.
    case synthetic(trainCount: Int, testCount: Int)
    /// A folder with EMNIST letters (IDX or CSV) or an MNIST-format set.
    case directory(String)

    /// The same size as the EMNIST letters CSV export.
    public static let fullSynthetic = DataSource.synthetic(trainCount: 88_800, testCount: 14_800)

    /// `--data` wins; then the environment variable `EMNIST_DIR`; then `fallback`.
    /// The word "synthetic" names the built-in generator.
    public static func resolve(_ argument: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                               fallback: DataSource = .fullSynthetic) -> DataSource {
        let chosen = argument ?? environment["EMNIST_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        guard let chosen else { return fallback }
        if chosen == "synthetic" {
            if case .synthetic = fallback { return fallback }
            return .fullSynthetic
        }
        return .directory(chosen)
    }

    public func load() throws -> LabelledDataset {
        switch self {
        case .synthetic(let trainCount, let testCount):
            return SyntheticLetters.makeDataset(trainCount: trainCount, testCount: testCount)
        case .directory(let path):
            return try DatasetLoader.load(directory: path)
        }
    }
}
