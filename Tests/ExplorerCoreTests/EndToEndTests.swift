import Foundation
import XCTest

/// Runs the real `latent-explorer` in tmux and checks what a person would see on the screen.
final class EndToEndTests: XCTestCase {
    private var socket = ""

    private var binary: String {
        if let path = ProcessInfo.processInfo.environment["LATENT_EXPLORER_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/latent-explorer").path
    }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            throw XCTSkip("tmux is not installed: apt-get install tmux")
        }
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("no latent-explorer binary at \(binary): run swift build first")
        }
        socket = "lx-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    }

    override func tearDown() {
        _ = tmux(["kill-server"])
    }

    /// Runs a tmux command on the test's private server and returns what it printed. Through popen,
    /// not Foundation's Process: that waits on a socket the daemonised tmux server would inherit.
    @discardableResult
    private func tmux(_ arguments: [String]) -> String {
        shell((["tmux", "-L", socket] + arguments).map(Self.quoted).joined(separator: " ") + " 2>/dev/null")
    }

    private func shell(_ command: String) -> String {
        guard let pipe = popen(command, "r") else { return "" }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = fread(&chunk, 1, chunk.count, pipe)
            if count <= 0 { break }
            output += chunk[0 ..< count]
        }
        pclose(pipe)
        return String(decoding: output, as: UTF8.self)
    }

    private static func quoted(_ argument: String) -> String {
        "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private func start(width: Int, height: Int, arguments: String) {
        let command = "TERM=tmux-256color \(binary) \(arguments); echo EXIT=$?; sleep 120"
        tmux(["new-session", "-d", "-x", String(width), "-y", String(height), command])
    }

    private func screen(withColours: Bool = false) -> String {
        tmux(["capture-pane", "-p"] + (withColours ? ["-e"] : []))
    }

    private func keys(_ keys: String...) { tmux(["send-keys"] + keys) }

    /// Waits until `predicate` holds for the screen text; fails with the last screen otherwise.
    @discardableResult
    private func waitFor(_ what: String, timeout: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line,
                         _ predicate: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            if predicate(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("timed out waiting for \(what); screen:\n\(last)", file: file, line: line)
        return last
    }

    /// The side pane (the decoded letter), with its colours.
    private func sidePane() -> String {
        screen(withColours: true).split(separator: "\n").dropFirst(3).prefix(15).joined(separator: "\n")
    }

    func testMoveBrowseTrainAndQuitAsAPersonWould() {
        start(width: 120, height: 40, arguments: "--data synthetic --train-count 26000 --test-count 520 --epochs 30")
        waitFor("the explorer to open") { $0.contains("Latent plane") && $0.contains("Decoded at cursor") }
        let letterBefore = sidePane()

        keys("Right", "Right", "Up")
        waitFor("the cursor to move") { $0.contains("z = (+0.50, +0.25)") }
        XCTAssertNotEqual(sidePane(), letterBefore, "the decoded letter changes when the cursor moves")

        keys("b", "e")
        let browse = waitFor("the browse view of class e") { $0.contains("Browse class 'e'") }
        XCTAssertTrue(browse.contains("letter 1 of 20"), browse)
        XCTAssertTrue(browse.contains("reconstruction") || browse.contains("reconstr."), browse)
        keys("Right")
        waitFor("the next letter of the class") { $0.contains("letter 2 of 20") }

        keys("Tab", "t")
        let first = waitFor("training to start") { $0.contains("epoch 1/30") && $0.contains("samples/s") }
        XCTAssertTrue(first.contains("loss "), first)
        waitFor("a later epoch with a validation loss", timeout: 120) { screen in
            screen.contains("val ") && !screen.contains("epoch 1/30")
        }

        keys("q")
        let after = waitFor("the program to exit") { $0.contains("EXIT=") }
        XCTAssertTrue(after.contains("EXIT=0"), after)
        XCTAssertFalse(after.contains("Latent plane"), "the terminal is restored after q:\n\(after)")
    }

    func testTooSmallTerminalShowsANoticeAndRecoversWhenEnlarged() {
        start(width: 40, height: 12, arguments: "--data synthetic --test-count 260")
        waitFor("the too-small notice") { $0.contains("Terminal too small (40x12)") }
        tmux(["resize-window", "-x", "100", "-y", "30"])
        waitFor("the explorer after enlarging") { $0.contains("Latent plane") }
        keys("q")
        waitFor("the program to exit") { $0.contains("EXIT=0") }
    }

    func testMissingDataSetIsAOneLineErrorBeforeTheScreenIsTaken() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--data", "/nonexistent/emnist"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertNotEqual(process.terminationStatus, 0)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, text)
        XCTAssertEqual(lines.first.map(String.init), "Error: data file not found: /nonexistent/emnist")
    }

    func testSIGTERMRestoresTheTerminal() {
        start(width: 100, height: 30, arguments: "--data synthetic --test-count 260")
        waitFor("the explorer to open") { $0.contains("Latent plane") }
        tmux(["send-keys", "t"])
        waitFor("training to start") { $0.contains("epoch ") || $0.contains("preparing") }
        let pid = tmux(["list-panes", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // The pane runs a shell; signal its child, the explorer (EXIT=143 is 128 + SIGTERM).
        _ = shell("pkill -TERM -P \(pid) latent-explorer")
        let after = waitFor("the program to exit") { $0.contains("EXIT=") }
        XCTAssertTrue(after.contains("EXIT=143"), after)
        XCTAssertFalse(after.contains("Latent plane"), after)
    }
}
