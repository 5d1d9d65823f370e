import Foundation

/// Where the explorer's `s` writes. Never into the folder of the shipped weights: a new file named
/// after the model and the time, unless the user named one (`--save-to`). An existing file is
/// replaced only after the user agreed (the app asks).
public enum SaveTarget: Equatable, Sendable {
    /// The file the user named.
    case file(String)
    /// A new file in `folder`: "<stem>-<date>-<time>.safetensors", e.g. "letters-16d-20261204-143012".
    case timestamped(folder: String, stem: String)

    /// The target for weights opened from `weightsPath` (nil: an untrained model), unless `saveTo` names one.
    public static func choose(saveTo: String?, weightsPath: String?, folder: String = ".") -> SaveTarget {
        if let saveTo { return .file(saveTo) }
        let stem = weightsPath.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension } ?? "latent-explorer"
        return .timestamped(folder: folder, stem: stem.isEmpty ? "latent-explorer" : stem)
    }

    /// The path to write to for a save at `date`.
    public func path(at date: Date) -> String {
        switch self {
        case .file(let path): return path
        case .timestamped(let folder, let stem): return Self.timestampedPath(stem: stem, at: date, extension: "safetensors", in: folder)
        }
    }

    /// "<stem>-<yyyyMMdd-HHmmss of date><suffix>.<extension>", in `folder` (just the name for ".").
    /// The explorer's file names after the time: `path(at:)`'s and `DrawingFile`'s.
    static func timestampedPath(stem: String, at date: Date, suffix: String = "", extension: String, in folder: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let name = "\(stem)-\(formatter.string(from: date))\(suffix).\(`extension`)"
        return folder == "." ? name : (folder as NSString).appendingPathComponent(name)
    }

    /// Why `path` may not be written (it lies in one of `protectedFolders`, e.g. the shipped Weights/),
    /// or nil. Paths are compared after resolving symbolic links and relative parts.
    public static func refusal(for path: String, protectedFolders: [String]) -> String? {
        func resolved(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        let folder = resolved((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent)
        for protected in protectedFolders where resolved(protected) == folder {
            return "the explorer never writes into \((protected as NSString).lastPathComponent)/ (the shipped weights): choose another folder for --save-to"
        }
        return nil
    }
}
