import Foundation

/// SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1 and SIGUSR2 end the explorer cleanly: the
/// handler only records the signal, the main loop sees it (the blocking key read is interrupted, as
/// the handler is installed without SA_RESTART) and restores the terminal before exiting. A second
/// signal while the first is being handled (training that does not stop) gives the terminal back
/// at once (`TerminalRestore`) and exits with 128 + its number. SIGINT (Ctrl-C) is counted
/// instead: with unsaved training the first one asks, the second quits.
enum TerminationSignals {
    static let handled = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2]

    static func install() {
        for signalNumber in handled {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in
                if received == SIGINT {
                    interruptCount &+= 1
                    return
                }
                guard receivedTerminationSignal == 0 else {
                    TerminalRestore.restoreFromSignalHandler()
                    _exit(128 + received)
                }
                receivedTerminationSignal = received
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }

    /// SIGTERM or SIGHUP when received, else 0.
    static var received: Int32 { receivedTerminationSignal }

    /// How many times Ctrl-C (SIGINT) arrived.
    static var interrupts: Int32 { interruptCount }
}

// Written only by the signal handler (single aligned stores), read by the main loop.
nonisolated(unsafe) private var receivedTerminationSignal: Int32 = 0
nonisolated(unsafe) private var interruptCount: Int32 = 0
