import Foundation

/// Shell commands the tests need for their setting (mounting a small disk, filling it).
public enum Shell {
    /// Runs `command` with `/bin/sh -c` and returns its exit status (-1 when it could not start).
    public static func status(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
