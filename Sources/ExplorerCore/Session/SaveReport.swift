import Foundation

/// The explorer's `s`: saving must never stop the explorer or lose the model in memory. A target that
/// cannot be written (missing folder, a path under a regular file, no permission, a full disk) gives
/// one line for the status bar, and the file that was there stays as it was (the write is atomic).
public enum SaveReport {
    /// Checks the target, runs `write`, and returns the status-line message.
    public static func attempt(path: String, _ write: () throws -> Void) -> String {
        if let problem = problem(with: path) { return "Could not save to \(path): \(problem)" }
        do {
            try write()
            return "Saved the weights to \(path)"
        } catch {
            var detail = "\(error)"
            // The library's own message may repeat the path; the status line says it once.
            for redundant in ["could not save \(path): ", "Could not save \(path): "] where detail.hasPrefix(redundant) {
                detail.removeFirst(redundant.count)
            }
            return oneLine("Could not save to \(path): \(detail)")
        }
    }

    /// Why `path` cannot be written, found before writing, or nil when it looks writable.
    static func problem(with path: String) -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "it is a folder"
        }
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            return "folder \(directory) does not exist"
        }
        guard isDirectory.boolValue else { return "\(directory) is a file, not a folder" }
        guard access(directory, W_OK) == 0 else { return "folder \(directory) is not writable" }
        return nil
    }

    /// Messages from errors may hold line breaks; the status bar has one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
