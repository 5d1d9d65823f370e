import FileFormats
import Foundation
import LetterData

/// Draw mode's `S`: the prepared drawing as a 28x28 greyscale PNG, ink light on dark as the data sets
/// store letters, so that `encode` takes it as it is and reads what draw mode read. A new file named
/// after the time; written through the one write policy (`.output(.png, force: false)`), so nothing of
/// another kind is ever replaced.
public enum DrawingFile {
    /// "drawing-20261207-051230.png" in `folder`, or with "-2", "-3", ... when that name is taken.
    public static func path(at date: Date, folder: String = ".", exists: (String) -> Bool = FileManager.default.fileExists) -> String {
        func named(_ suffix: String) -> String {
            SaveTarget.timestampedPath(stem: "drawing", at: date, suffix: suffix, extension: "png", in: folder)
        }
        var path = named("")
        var number = 2
        while exists(path) {
            path = named("-\(number)")
            number += 1
        }
        return path
    }

    /// Writes `prepared` (784 bytes) to `path`; the status line's message.
    public static func save(_ prepared: [UInt8], to path: String) -> String {
        do {
            let png = PNGEncoder.encodeGray(width: ImageSet.side, height: ImageSet.side, pixels: prepared)
            try AtomicFile.write(png, to: path, policy: .output(.png, force: false))
            return "Saved your drawing to \(path) (28x28, as the model reads it: encode \(path) reads it back)"
        } catch {
            return SaveReport.oneLine("Could not save the drawing to \(path): \(error)")
        }
    }
}
