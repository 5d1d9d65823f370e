import Foundation
import XCTest

/// The shell's screen comes back clean after the terminal was enlarged while the explorer ran, as
/// it does for vim and less: the recipe (a 120x40 pane, `echo BEFORE`, the explorer, the window
/// resized to 200x60), ended by `q`, by Ctrl-C and by a crash.
final class ResizeRestoreEndToEndTests: TmuxTestCase {
    /// The width the window is enlarged to, as in the issue.
    static let enlargedWidth = 200

    /// Runs the recipe up to the enlarged explorer; returns the explorer's process id.
    private func startAndEnlarge() -> Int32? {
        session.run(width: 120, height: 40, command: "echo BEFORE; env -u NO_COLOR TERM=tmux-256color LANG=C.UTF-8 "
                    + TmuxSession.quoted(ExplorerBinary.path) + " --data synthetic --test-count 260; echo EXIT=$?; sleep 300")
        session.waitFor("the explorer to open") { $0.contains("Latent plane") && $0.contains("Decoded at cursor") }
        session.resize(width: Self.enlargedWidth, height: 60)
        session.waitFor("the explorer redrawn at 200x60") { screen in
            screen.split(separator: "\n", omittingEmptySubsequences: false).count >= 60 && screen.contains("Decoded at cursor")
                && screen.split(separator: "\n").contains { $0.count >= 190 && $0.contains("Latent") }
        }
        let shell = session.tmux(["display", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        return TmuxSession.shell("pgrep -P \(shell)").split(separator: "\n").first.flatMap { Int32($0) }
    }

    /// `shellNote`: a line the shell itself prints about how the program ended (a crash's).
    private func assertShellScreenClean(status: Int32, _ what: String, shellNote: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let screen = session.waitFor("the program to end (\(what))", file: file, line: line) { $0.contains("EXIT=") }
        // The shell's note names the whole command, whose length follows the binary's path: at the full
        // pane width it wraps, and its rest (e.g. "0" of "--test-count 260") is the note's too. A note
        // that fills the width exactly does not wrap: the shell's own "EXIT=" line after it is never the note.
        var kept: [String] = []
        var continuesNote = false
        for row in screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let isNote = (continuesNote && !row.hasPrefix("EXIT=")) || (shellNote.map { row.contains($0) } ?? false)
            continuesNote = isNote && row.count >= Self.enlargedWidth
            if !isNote { kept.append(row) }
        }
        let lines = kept.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        XCTAssertEqual(lines, ["BEFORE", "EXIT=\(status)"], "\(what): only the shell's lines, nothing of the explorer:\n\(screen)",
                       file: file, line: line)
    }

    func testQuitAfterEnlarging() {
        _ = startAndEnlarge()
        session.keys("q")
        assertShellScreenClean(status: 0, "q")
    }

    func testCtrlCAfterEnlarging() {
        _ = startAndEnlarge()
        session.keys("C-c")
        assertShellScreenClean(status: 130, "Ctrl-C")
    }

    func testACrashAfterEnlarging() throws {
        let child = try XCTUnwrap(startAndEnlarge(), "the explorer's process")
        kill(child, SIGSEGV)
        assertShellScreenClean(status: 128 + SIGSEGV, "a segmentation fault", shellNote: "Segmentation fault")
    }
}
