import Foundation
import LetterData
import Support
import XCTest

/// Slow commands show a status line on a terminal's standard error while they work, and erase it when
/// done (the tests elsewhere check that nothing is written when standard error is a file).
final class StatusLineTests: XCTestCase {
    func testStatsShowsWhatItMeasuresAndErasesTheLineAfterwards() throws {
        try TmuxSession.require()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lx-status-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // An MNIST-format folder of noise: loads at once, and measuring 2,000 noisy images takes seconds.
        var generator = SeededGenerator(seed: 16)
        for (prefix, count) in [("train", 2_000), ("t10k", 200)] {
            let pixels = (0 ..< count * ImageSet.pixelCount).map { _ in UInt8.random(in: 0 ... 255, using: &generator) }
            try DatasetWriter.writeIDX(ImageSet(pixels: pixels, labels: (0 ..< count).map { $0 % 10 }),
                                       imagesPath: folder + "/\(prefix)-images-idx3-ubyte", labelsPath: folder + "/\(prefix)-labels-idx1-ubyte",
                                       gzip: false, transposed: false)
        }
        let session = TmuxSession()
        session.start(width: 120, height: 30, arguments: "stats --data \(TmuxSession.quoted(folder)) --against \(TmuxSession.quoted(folder))")
        session.waitFor("the status line") { $0.contains("Measuring 2000 + 2000 train images…") }
        let done = session.waitFor("the table") { $0.contains("EXIT=0") }
        XCTAssertFalse(done.contains("Measuring"), done)
        XCTAssertTrue(done.contains("ink"), done)
    }
}
