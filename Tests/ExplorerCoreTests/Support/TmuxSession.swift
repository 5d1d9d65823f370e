import Foundation
import XCTest

/// The real `latent-explorer` in a private tmux server: start it, send keys and mouse reports, read
/// the screen. Timeouts are generous (the machine is shared); what is waited for is exact.
final class TmuxSession {
    let socket = "lx-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
    static let defaultTimeout: TimeInterval = 90

    static func require() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            throw XCTSkip("tmux is not installed: apt-get install tmux")
        }
        _ = try ExplorerBinary.require()
    }

    deinit { kill() }

    func kill() { tmux(["kill-server"]) }

    /// Runs a tmux command on this server and returns what it printed. Through popen, not Foundation's
    /// Process: that waits on a socket the daemonised tmux server would inherit.
    @discardableResult
    func tmux(_ arguments: [String]) -> String {
        Self.shell((["tmux", "-L", socket] + arguments).map(Self.quoted).joined(separator: " ") + " 2>/dev/null")
    }

    static func shell(_ command: String) -> String {
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

    static func quoted(_ argument: String) -> String {
        "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Starts the explorer (or any subcommand) in a `width` x `height` pane; the shell prints its exit
    /// status after it ends. The binary sees a UTF-8 locale, TERM=tmux-256color and no NO_COLOR (the
    /// test runner may set it), unless `environment` says otherwise.
    func start(width: Int, height: Int, arguments: String, environment: [String: String] = [:]) {
        var variables = ["TERM": "tmux-256color", "LANG": "C.UTF-8"]
        variables.merge(environment) { $1 }
        let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted($0.value))" }.joined(separator: " ")
        let command = "env -u NO_COLOR -u LC_ALL -u LC_CTYPE \(assignments) \(Self.quoted(ExplorerBinary.path)) \(arguments); echo EXIT=$?; sleep 300"
        tmux(["new-session", "-d", "-x", String(width), "-y", String(height), command])
    }

    /// Runs any shell command in a new `width` x `height` pane.
    func run(width: Int, height: Int, command: String) {
        tmux(["new-session", "-d", "-x", String(width), "-y", String(height), command])
    }

    func screen(withColours: Bool = false) -> String {
        tmux(["capture-pane", "-p"] + (withColours ? ["-e"] : []))
    }

    func lines(withColours: Bool = false) -> [String] {
        screen(withColours: withColours).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func keys(_ keys: String...) { tmux(["send-keys"] + keys) }

    /// Writes `text` into the pane as if typed (escape sequences included).
    func literal(_ text: String) { tmux(["send-keys", "-l", text]) }

    /// A left click at a screen cell (0-based), as an xterm SGR (1006) press and release.
    func click(column: Int, row: Int) {
        literal("\u{1B}[<0;\(column + 1);\(row + 1)M")
        literal("\u{1B}[<0;\(column + 1);\(row + 1)m")
    }

    /// One notch of the wheel at a screen cell: up zooms in, down zooms out.
    func wheel(up: Bool, column: Int, row: Int) {
        literal("\u{1B}[<\(up ? 64 : 65);\(column + 1);\(row + 1)M")
    }

    func resize(width: Int, height: Int) {
        tmux(["resize-window", "-x", String(width), "-y", String(height)])
    }

    /// Waits until `predicate` holds for the screen text; fails with the last screen otherwise.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = TmuxSession.defaultTimeout, withColours: Bool = false,
                 file: StaticString = #filePath, line: UInt = #line, _ predicate: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen(withColours: withColours)
            // A capture can catch a frame half painted: look again a moment later, and return that
            // screen if it still matches (else the first: what was waited for did happen).
            if predicate(last) {
                Thread.sleep(forTimeInterval: 0.15)
                let again = screen(withColours: withColours)
                return predicate(again) ? again : last
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("timed out waiting for \(what); screen:\n\(last)", file: file, line: line)
        return last
    }

    /// Waits for the screen to stop changing (a frame fully painted after a key).
    @discardableResult
    func settled(withColours: Bool = false) -> String {
        var previous = screen(withColours: withColours)
        for _ in 0 ..< 15 {
            Thread.sleep(forTimeInterval: 0.2)
            let current = screen(withColours: withColours)
            if current == previous { return current }
            previous = current
        }
        return previous
    }
}
