import Foundation

/// The explorer's `s`: saving must never stop the explorer or lose the model in memory. A target that
/// cannot be written (missing folder, a path under a regular file, no permission, a full disk) gives
/// one line for the status bar, and the file that was there stays as it was (`AtomicFile` writes a
/// temporary file and renames it, and removes it on failure).
public enum SaveReport {
    /// Runs `write` and returns the status-line message.
    public static func attempt(path: String, _ write: () throws -> Void) -> String {
        outcome(path: path, write).message
    }

    /// Runs `write`; returns the status-line message and whether the weights were saved.
    public static func outcome(path: String, _ write: () throws -> Void) -> (message: String, saved: Bool) {
        do {
            try write()
            return ("Saved the weights to \(path)", true)
        } catch {
            var detail = "\(error)"
            // The library's message starts with the path; the status line names it once.
            for redundant in ["cannot save \(path): ", "could not save \(path): ", "not saving \(path): "] where detail.hasPrefix(redundant) {
                detail.removeFirst(redundant.count)
            }
            return (oneLine("Could not save to \(path): \(detail)"), false)
        }
    }

    /// Messages from errors may hold line breaks; the status bar has one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
