import Foundation
import Synchronization

/// Gives the terminal back however the explorer ends: a trap or crash (SIGSEGV, SIGILL, SIGTRAP,
/// SIGBUS, SIGFPE, SIGABRT), a second termination signal while the first is being handled, `exit`
/// from anywhere, or an error thrown after the screen was taken.
///
/// A crash handler may only call async-signal-safe functions, so everything it needs is prepared
/// when the screen is taken: the terminal settings (termios) saved before ncurses changed them, and
/// the bytes that undo what the explorer turned on (mouse reports, the alternate screen, the hidden
/// cursor, keypad mode, colours). The handler `write`s those bytes, restores the settings with
/// `tcsetattr`, puts the default action back and raises the signal again, so the process still ends
/// as a crash would (the shell reports it, a core dump is still written where enabled).
enum TerminalRestore {
    /// The signals that end the process abnormally, each restored-then-reraised.
    static let fatalSignals = [SIGSEGV, SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGABRT]

    /// SGR mouse off, X10 mouse off, attributes reset, cursor shown, keypad mode off, the alternate
    /// screen blanked and left (its saved cursor restored), then a new line so the shell prompt starts
    /// clean. Blank first: a terminal enlarged meanwhile would otherwise show the explorer's rows
    /// above the shell's (`CursesTerminal.clearAlternateScreen`).
    static let resetSequence = "\u{1B}[?1006l\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[0m\u{1B}[?25h\u{1B}[?1l\u{1B}>\u{1B}[H\u{1B}[2J\u{1B}[?1049l\r\n"

    /// Saves the terminal's settings and installs the handlers; call before the screen is taken.
    static func arm() {
        let state = State.shared
        guard !state.installed else { state.active.store(true, ordering: .sequentiallyConsistent); return }
        state.installed = true
        state.hasTermios = tcgetattr(STDIN_FILENO, state.termios) == 0
        // A stack of its own, so that a stack overflow (SIGSEGV on a full stack) can still be handled.
        let stackSize = 64 << 10
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: stackSize, alignment: 16)
        stack.ss_size = stackSize
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        for signalNumber in fatalSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in
                TerminalRestore.restoreFromSignalHandler()
                signal(received, SIG_DFL)
                raise(received)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_ONSTACK | Int32(bitPattern: UInt32(SA_RESETHAND)) | SA_NODEFER
            sigaction(signalNumber, &action, nil)
        }
        atexit { TerminalRestore.restoreFromSignalHandler() }
        state.active.store(true, ordering: .sequentiallyConsistent)
    }

    /// The terminal was given back normally (`CursesTerminal.stop`): nothing left to restore.
    static func disarm() { State.shared.active.store(false, ordering: .sequentiallyConsistent) }

    /// Writes the reset bytes and restores the saved settings, if the screen is still taken. Only
    /// async-signal-safe calls: `write` and `tcsetattr` on memory prepared in `arm`.
    static func restoreFromSignalHandler() {
        let state = State.shared
        // Only the first caller restores (an exchange: a crash inside the atexit handler cannot repeat it).
        guard state.active.exchange(false, ordering: .sequentiallyConsistent) else { return }
        _ = write(STDOUT_FILENO, state.reset, state.resetCount)
        if state.hasTermios { _ = tcsetattr(STDIN_FILENO, TCSANOW, state.termios) }
    }

    /// Everything the handlers touch, allocated once before any handler is installed.
    ///
    /// @unchecked Sendable: `active` is an atomic (lock-free, so async-signal-safe); `termios`,
    /// `hasTermios` and `installed` are written only by `arm` on the main thread before its
    /// sequentially consistent store of `active`, and the handlers read them only after loading
    /// `active` as true; `reset` is immutable after `init`.
    private final class State: @unchecked Sendable {
        static let shared = State()
        let termios = UnsafeMutablePointer<termios>.allocate(capacity: 1)
        let reset: UnsafeMutablePointer<UInt8>
        let resetCount: Int
        var hasTermios = false
        var installed = false
        /// Whether the screen is taken: set on the main thread, read and cleared by the handler.
        let active = Atomic<Bool>(false)

        init() {
            let bytes = Array(TerminalRestore.resetSequence.utf8)
            reset = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
            reset.initialize(from: bytes, count: bytes.count)
            resetCount = bytes.count
        }
    }
}
