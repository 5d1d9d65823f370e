import Foundation
import LetterData
import XCTest

/// Where the real-data tests find the EMNIST letters: the folder named by `LATENT_EXPLORER_DATA` (see
/// docs/data.md; the project's CI points it at its partial copy). Without it those tests skip, saying
/// so in one line.
public enum RealDataFolder {
    public static let variable = "LATENT_EXPLORER_DATA"

    /// The folder, when it is set and exists and holds `needed` (a file or folder inside it), else a skip.
    public static func letters(holding needed: String? = nil) throws -> String {
        guard let folder = ProcessInfo.processInfo.environment[variable], !folder.isEmpty else {
            throw XCTSkip("\(variable) is not set: point it at a copy of the EMNIST letters (docs/data.md) to run this test")
        }
        guard FileManager.default.fileExists(atPath: folder) else { throw XCTSkip("\(variable)=\(folder) does not exist") }
        if let needed, !FileManager.default.fileExists(atPath: folder + "/" + needed) {
            throw XCTSkip("\(variable)=\(folder) has no \(needed), which this test reads (the project's partial copy has it)")
        }
        return folder
    }

    /// The folder when it holds the project's partial copy (1,000 training letters, one test letter of
    /// each of t-z), for tests that count its letters; another copy skips them.
    public static func partialLetters() throws -> String {
        let folder = try letters()
        let count = try DatasetLoader.load(directory: folder).train.count
        guard count == 1_000 else {
            throw XCTSkip("\(variable) holds \(count) training letters; this test counts the partial copy's 1,000")
        }
        return folder
    }
}
