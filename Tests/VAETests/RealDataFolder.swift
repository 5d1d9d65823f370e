import Foundation
import XCTest

/// Where the real-data tests find the EMNIST letters: the folder named by `LATENT_EXPLORER_DATA` (see
/// docs/data.md; the project's CI points it at its partial copy). Without it those tests skip, saying
/// so in one line.
enum RealDataFolder {
    static let variable = "LATENT_EXPLORER_DATA"

    /// The folder, when it is set and exists and holds `needed` (a file or folder inside it), else a skip.
    static func letters(holding needed: String? = nil) throws -> String {
        guard let folder = ProcessInfo.processInfo.environment[variable], !folder.isEmpty else {
            throw XCTSkip("\(variable) is not set: point it at a copy of the EMNIST letters (docs/data.md) to run this test")
        }
        guard FileManager.default.fileExists(atPath: folder) else { throw XCTSkip("\(variable)=\(folder) does not exist") }
        if let needed, !FileManager.default.fileExists(atPath: folder + "/" + needed) {
            throw XCTSkip("\(variable)=\(folder) has no \(needed), which this test reads (the project's partial copy has it)")
        }
        return folder
    }
}
