import Foundation
// TEMPORARY local stand-in until the data branch lands its AtomicFile.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(bytes)) else {
            throw WeightsError.writeFailed(path: path, reason: "cannot create \(tmp)")
        }
        guard rename(tmp, path) == 0 else { unlink(tmp); throw WeightsError.writeFailed(path: path, reason: "rename failed") }
    }
}
