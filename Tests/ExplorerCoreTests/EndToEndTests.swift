import Foundation
import XCTest

/// Runs the real `latent-explorer` in tmux and checks what a person would see on the screen.
final class EndToEndTests: TmuxTestCase {
    /// The side pane (the decoded letter), with its colours.
    private func sidePane() -> String {
        session.screen(withColours: true).split(separator: "\n").dropFirst(3).prefix(15).joined(separator: "\n")
    }

    func testMoveBrowseTrainAndQuitAsAPersonWould() {
        session.start(width: 120, height: 40, arguments: "--data synthetic --train-count 26000 --test-count 520 --epochs 30")
        session.waitFor("the explorer to open") { $0.contains("Latent plane") && $0.contains("Decoded at cursor") }
        session.keys("0")   // from the test letter it starts on to the origin
        session.waitFor("the origin") { $0.contains("z1 +0.00  z2 +0.00") }
        let letterBefore = sidePane()

        session.keys("Right", "Right", "Up")
        session.waitFor("the cursor to move") { $0.contains("z1 +3.00  z2 +1.50") }
        XCTAssertNotEqual(sidePane(), letterBefore, "the decoded letter changes when the cursor moves")

        session.keys("b", "e")
        let browse = session.waitFor("the browse view of class e") { $0.contains("Browse class 'e'") }
        XCTAssertTrue(browse.contains("letter 1 of 20"), browse)
        XCTAssertTrue(browse.contains("reconstruction"), browse)
        session.keys("Right")
        session.waitFor("the next letter of the class") { $0.contains("letter 2 of 20") }

        session.keys("Tab", "t")
        let first = session.waitFor("training to start") { $0.contains("epoch 1/30") && $0.contains("samples/s") }
        XCTAssertTrue(first.contains("loss "), first)
        session.waitFor("a later epoch with a validation loss", timeout: 180) { screen in
            screen.contains("val ") && !screen.contains("epoch 1/30")
        }

        session.keys("q")
        session.waitFor("the question about the unsaved weights") { $0.contains("The trained weights are not saved") }
        session.keys("d")
        let after = session.waitFor("the program to exit") { $0.contains("EXIT=") }
        XCTAssertTrue(after.contains("EXIT=0"), after)
        XCTAssertFalse(after.contains("Latent plane"), "the terminal is restored after q:\n\(after)")
    }

    func testTooSmallTerminalShowsANoticeAndRecoversWhenEnlarged() {
        session.start(width: 40, height: 12, arguments: "--data synthetic --test-count 260")
        session.waitFor("the too-small notice") { $0.contains("Terminal too small (40x12)") }
        session.resize(width: 100, height: 30)
        session.waitFor("the explorer after enlarging") { $0.contains("Latent plane") }
        session.keys("q")
        session.waitFor("the program to exit") { $0.contains("EXIT=0") }
    }

    func testMissingDataSetIsAOneLineErrorBeforeTheScreenIsTaken() throws {
        session.start(width: 100, height: 20, arguments: "--data /nonexistent/emnist")
        let screen = session.waitFor("the program to exit") { $0.contains("EXIT=") }
        let lines = screen.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        // One line, which the 100-column pane wraps.
        XCTAssertTrue(lines.first?.hasPrefix("Error: no such folder: /nonexistent/emnist (--data takes the folder") ?? false, screen)
        XCTAssertEqual(lines.last, "EXIT=1")
        XCTAssertLessThanOrEqual(lines.count, 3, screen)
    }

    func testSIGTERMRestoresTheTerminal() {
        session.start(width: 100, height: 30, arguments: "--data synthetic --test-count 260")
        session.waitFor("the explorer to open") { $0.contains("Latent plane") }
        session.keys("t")
        session.waitFor("training to start") { $0.contains("epoch ") || $0.contains("preparing") }
        // The pane runs a shell; signal its child, the explorer, by its id (EXIT=143 is 128 + SIGTERM).
        let shellID = session.tmux(["list-panes", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let explorerID = TmuxSession.shell("pgrep -P \(shellID)").trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertFalse(explorerID.isEmpty || explorerID.contains("\n"), "one child: \(explorerID)")
        _ = TmuxSession.shell("kill -TERM \(explorerID)")
        let after = session.waitFor("the program to exit") { $0.contains("EXIT=") }
        XCTAssertTrue(after.contains("EXIT=143"), after)
        XCTAssertFalse(after.contains("Latent plane"), after)
    }
}
