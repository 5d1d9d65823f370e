import Foundation
import LetterData

/// A small data set on disk for command tests: the built-in synthetic letters written as EMNIST's two
/// CSV files (`emnist-letters-train.csv`, `emnist-letters-test.csv`), so a command reads them as it
/// reads a real folder, and quickly (the built-in set is large).
public enum SyntheticLetterFolder {
    /// Makes `folder` (and its parents) and writes `trainCount` and `testCount` letters from `seed` into it.
    public static func write(to folder: String, trainCount: Int, testCount: Int, seed: UInt64) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let letters = SyntheticLetters.makeDataset(trainCount: trainCount, testCount: testCount, seed: seed)
        try DatasetWriter.writeCSV(letters.train, path: folder + "/emnist-letters-train.csv")
        try DatasetWriter.writeCSV(letters.test, path: folder + "/emnist-letters-test.csv")
    }
}
