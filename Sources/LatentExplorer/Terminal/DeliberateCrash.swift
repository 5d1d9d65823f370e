import Foundation

/// A crash on purpose, for the tests that prove the terminal is given back after one
/// (`TerminalRestore`): with `LATENT_EXPLORER_TEST_CRASH` set to `trap` (a Swift runtime trap, as an
/// index out of range would raise), `segv` (a write through a null pointer) or `abort`, the explorer
/// crashes right after painting its first frame. Documented in docs/reliability.md; unset, it does nothing.
enum DeliberateCrash {
    static let variable = "LATENT_EXPLORER_TEST_CRASH"
    /// The kind asked for, read from the environment once (the explorer reads it before the screen
    /// is taken, in `armFromEnvironment`).
    private static let armed: String? = ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }

    /// Reads the environment now, before anything can crash.
    static func armFromEnvironment() { _ = armed }

    /// Crashes as armed (once the first frame is on the screen).
    static func fireIfArmed() {
        guard let kind = armed else { return }
        switch kind {
        case "segv":
            let unmapped = UnsafeMutablePointer<Int>(bitPattern: 8)!   // the first page is never mapped
            unmapped.pointee = 1
        case "abort":
            abort()
        default:
            let empty: [Int] = []
            _ = empty[Int(getpid()) % 7 + 1]   // out of range: the runtime traps
        }
    }
}
