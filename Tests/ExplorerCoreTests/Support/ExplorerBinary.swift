import Foundation
import XCTest

/// The built `latent-explorer` executable that end-to-end tests run.
enum ExplorerBinary {
    /// `LATENT_EXPLORER_BIN`, else the binary beside the test bundle: the one `swift build` or
    /// `swift test` just built in the same configuration (debug or release, whatever the build folder).
    static var path: String {
        if let path = ProcessInfo.processInfo.environment["LATENT_EXPLORER_BIN"] { return path }
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = testBundle.deletingLastPathComponent()
        // On Linux the tests run from <build>/<configuration>/<Package>PackageTests.xctest, a file; elsewhere
        // from inside a bundle folder: climb to the folder that holds the .xctest.
        while folder.path != "/" && folder.pathComponents.contains(where: { $0.hasSuffix(".xctest") }) {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("latent-explorer").path
    }

    static func require() throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw XCTSkip("no latent-explorer binary at \(path): run swift build (same configuration) first, or set LATENT_EXPLORER_BIN")
        }
        return path
    }

    /// Runs the binary to completion without a terminal; returns its exit status and output.
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        try runProgram(try require(), arguments, environment: environment)
    }

    /// Runs any program to completion, as `run` runs the binary.
    static func runProgram(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let environment { process.environment = environment }
        // Output goes to files, read after the exit: a pipe that fills up would block the child.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("lx-run-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out"), errURL = base.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        let outData = (try? Data(contentsOf: outURL)) ?? Data(), errData = (try? Data(contentsOf: errURL)) ?? Data()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
