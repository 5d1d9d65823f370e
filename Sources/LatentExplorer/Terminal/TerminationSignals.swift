import Foundation

/// SIGINT, SIGTERM and SIGHUP end the explorer cleanly: the handler only records the signal, the main
/// loop sees it (the blocking key read is interrupted, as the handler is installed without
/// SA_RESTART) and restores the terminal before exiting.
enum TerminationSignals {
    static func install() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in receivedTerminationSignal = received }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signalNumber, &action, nil)
        }
    }

    /// The signal received, or 0.
    static var received: Int32 { receivedTerminationSignal }
}

/// Written only by the signal handler (a single aligned store), read by the main loop.
nonisolated(unsafe) private var receivedTerminationSignal: Int32 = 0
