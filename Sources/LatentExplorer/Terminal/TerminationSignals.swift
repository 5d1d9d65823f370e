import Foundation
import Synchronization

/// SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1 and SIGUSR2 end the explorer cleanly: the
/// handler only records the signal, the main loop sees it (the blocking key read is interrupted, as
/// the handler is installed without SA_RESTART) and restores the terminal before exiting. A second
/// signal while the first is being handled (training that does not stop) gives the terminal back
/// at once (`TerminalRestore`) and exits with 128 + its number. SIGINT (Ctrl-C) is counted
/// instead: with unsaved training the first one asks, the second quits.
enum TerminationSignals {
    static let handled = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2]

    /// The first termination signal (0 before one), written by the handler, read by the main loop.
    /// Lock-free atomics, so a signal handler may touch them (async-signal-safe).
    private static let receivedSignal = Atomic<Int32>(0)
    /// Ctrl-C presses so far.
    private static let interruptCount = Atomic<Int32>(0)

    static func install() {
        // Swift initialises statics lazily, which is not async-signal-safe: do it before any handler runs.
        _ = (receivedSignal.load(ordering: .relaxed), interruptCount.load(ordering: .relaxed))
        for signalNumber in handled {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in
                if received == SIGINT {
                    TerminationSignals.interruptCount.wrappingAdd(1, ordering: .sequentiallyConsistent)
                    return
                }
                let (first, _) = TerminationSignals.receivedSignal.compareExchange(
                    expected: 0, desired: received, ordering: .sequentiallyConsistent)
                guard first else {
                    TerminalRestore.restoreFromSignalHandler()
                    _exit(128 + received)
                }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }

    /// SIGTERM or SIGHUP when received, else 0.
    static var received: Int32 { receivedSignal.load(ordering: .sequentiallyConsistent) }

    /// How many times Ctrl-C (SIGINT) arrived.
    static var interrupts: Int32 { interruptCount.load(ordering: .sequentiallyConsistent) }
}
