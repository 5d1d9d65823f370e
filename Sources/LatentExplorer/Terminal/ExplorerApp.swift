import CursesScreen
import ExplorerCore
import Foundation

/// The explorer's loop in the terminal: the session (`ExplorerSession`, in ExplorerCore) owns the
/// models, their training, the focus and saving; this loop only reads the terminal's events into it,
/// sees the signals, and paints its frames. Drawing never waits for training: the session polls.
struct ExplorerApp {
    let session: ExplorerSession
    let terminal: CursesTerminal
    private(set) var frameTimer = FrameTimer()

    /// Runs until the user quits or a termination signal arrives; returns that signal (0 for a quit).
    mutating func run() -> Int32 {
        var needsFrame = true
        var interruptsSeen: Int32 = 0
        while TerminationSignals.received == 0 {
            let interrupts = TerminationSignals.interrupts
            if interrupts > interruptsSeen {
                // Two presses between two looks at the count are Ctrl-C twice.
                let twice = interrupts - interruptsSeen >= 2
                interruptsSeen = interrupts
                if twice || session.interrupted() { return SIGINT }
                needsFrame = true
            }
            if session.poll() { needsFrame = true }
            if needsFrame {
                drawFrame()
                needsFrame = false
                DeliberateCrash.fireIfArmed()
            }
            guard let input = terminal.readInput(timeoutMilliseconds: session.readTimeoutMilliseconds) else { continue }
            needsFrame = true
            if session.handle(input) { return 0 }
            // What is already waiting (a drag's motion reports, a held arrow) is taken in before the next
            // frame: one frame for them all, so the drawing never lags behind the pointer.
            for _ in 0 ..< Self.inputsPerFrame {
                guard let next = terminal.readInput(timeoutMilliseconds: 0) else { break }
                if session.handle(next) { return 0 }
            }
        }
        return TerminationSignals.received
    }

    /// At most this many waiting inputs are taken in between two frames, so a flood still shows.
    static let inputsPerFrame = 64

    private mutating func drawFrame() {
        let start = DispatchTime.now().uptimeNanoseconds
        let buffer = session.frame()
        let rendered = DispatchTime.now().uptimeNanoseconds
        terminal.paint(buffer)
        let end = DispatchTime.now().uptimeNanoseconds
        frameTimer.record(milliseconds: Double(end - start) / 1e6, renderingMilliseconds: Double(rendered - start) / 1e6,
                          whileTraining: session.isTraining)
    }
}
