import Foundation
import XCTest

/// However the explorer ends, the terminal is given back: after a trap, a segmentation fault or an
/// abort (the crash handler of `TerminalRestore`, set off on purpose with `LATENT_EXPLORER_TEST_CRASH`)
/// and after SIGUSR1, SIGUSR2, SIGPIPE, SIGQUIT and SIGHUP, the pane has left the alternate screen,
/// shows the cursor, reports no mouse events, and the line discipline echoes again.
final class TerminalRestoreTests: TmuxTestCase {
    /// Starts the explorer; the shell then prints its exit status and the terminal's echo settings.
    private func startExplorer(environment: [String: String] = [:]) {
        session.start(width: 120, height: 40, arguments: "--data synthetic --test-count 260; s=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -- '-\\{0,1\\}echo'; (exit $s)",
                      environment: environment)
    }

    /// Checks the pane's state once the program has ended with `status`.
    private func assertTerminalGivenBack(status: Int32, _ what: String) {
        let screen = session.waitFor("the program to end (\(what))") { $0.contains("EXIT=") }
        XCTAssertTrue(screen.contains("EXIT=\(status)"), "\(what): exit status \(status) expected:\n\(screen)")
        let state = session.tmux(["display", "-p", "#{alternate_on} #{cursor_flag} #{mouse_any_flag} #{mouse_sgr_flag}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(state, "0 1 0 0", "\(what): alternate screen, cursor, mouse, SGR mouse")
        let lines = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertTrue(lines.contains("echo"), "\(what): echo is back on:\n\(screen)")
        XCTAssertFalse(lines.contains("-echo"), "\(what): echo is back on:\n\(screen)")
    }

    func testACrashGivesTheTerminalBack() {
        for (kind, signal) in [("trap", SIGILL), ("segv", SIGSEGV), ("abort", SIGABRT)] {
            session.kill()
            session = TmuxSession()
            startExplorer(environment: ["LATENT_EXPLORER_TEST_CRASH": kind])
            assertTerminalGivenBack(status: 128 + signal, "a deliberate \(kind)")
        }
    }

    func testSignalsGiveTheTerminalBack() {
        for signal in [SIGUSR1, SIGUSR2, SIGPIPE, SIGQUIT, SIGHUP] {
            session.kill()
            session = TmuxSession()
            startExplorer()
            session.waitFor("the explorer to open") { $0.contains("Latent plane") }
            let shell = session.tmux(["display", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
            let child = TmuxSession.shell("pgrep -P \(shell)").split(separator: "\n").first.flatMap { Int32($0) }
            guard let child else { return XCTFail("no explorer process under the pane's shell \(shell)") }
            kill(child, signal)
            assertTerminalGivenBack(status: 128 + signal, "signal \(signal)")
        }
    }
}
