import Dispatch
import FileFormats
import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM while a command works for a long time (`train`).
///
/// The first signal runs `onFirst` (train asks the trainer to stop after the current mini-batch and
/// then saves the best weights so far). A second signal exits at once with 128 + the signal number:
/// it removes the temporary file of a save in progress (`AtomicFile`) and writes nothing, so the
/// file being saved keeps its previous contents.
///
/// The signals are received through dispatch sources rather than a C handler, so the reaction runs
/// on an ordinary thread where locks and allocation are safe.
final class InterruptHandling: Sendable {
    private struct State {
        var firstSignal: Int32 = 0
        /// Set once the work a second signal would abandon is done: then a late signal changes nothing.
        var disarmed = false
        var sources: [DispatchSourceSignal] = []
    }
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "interrupt-handling")
    private let secondMessage: String
    private let onFirst: @Sendable (Int32) -> Void

    /// `secondMessage` is printed before the immediate exit (e.g. what the second signal leaves behind).
    init(secondMessage: String, onFirst: @escaping @Sendable (Int32) -> Void) {
        self.secondMessage = secondMessage
        self.onFirst = onFirst
    }

    static let handledSignals = [SIGINT, SIGTERM]

    /// The first signal received, or nil.
    var received: Int32? {
        state.withLock { $0.firstSignal == 0 ? nil : $0.firstSignal }
    }

    /// The exit status of a process ended by `signal`, as the shell reports it (130 for SIGINT, 143 for SIGTERM).
    static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    static func name(of signal: Int32) -> String {
        signal == SIGINT ? "Ctrl-C (SIGINT)" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
    }

    func install() {
        // The sources are made under the lock: they belong to the locked state from the start.
        state.withLock { state in
            for signalNumber in Self.handledSignals {
                signal(signalNumber, SIG_IGN)   // the dispatch source receives it instead of the default action
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler { [weak self] in   // the source itself is released when cancelled
                    self?.handle(signalNumber, count: Int(source.data))
                }
                source.resume()
                state.sources.append(source)
            }
        }
    }

    deinit { uninstall() }

    /// Stops listening and restores the default actions, after any reaction already running.
    func uninstall() {
        // Under the lock, which a second signal's reaction holds until the process exits. Cancelling
        // does not wait for a handler, so a reaction waiting for the lock then finds `disarmed`.
        state.withLock { state in
            state.disarmed = true
            for source in state.sources { source.cancel() }
            state.sources.removeAll()
        }
        for signalNumber in Self.handledSignals { signal(signalNumber, SIG_DFL) }
    }

    private func handle(_ signalNumber: Int32, count: Int) {
        let first = state.withLock { state -> Bool in
            guard !state.disarmed else { return false }
            guard state.firstSignal != 0 || count >= 2 else {
                state.firstSignal = signalNumber
                return true
            }
            // A second signal (two may arrive as one event). The lock stays held: `uninstall` cannot
            // declare the work finished while this exits.
            if state.firstSignal == 0 { state.firstSignal = signalNumber }
            AtomicFile.removeTemporaryFiles()
            FileHandle.printError("\n\(Self.name(of: signalNumber)) again: quitting now. \(secondMessage)")
            _exit(Self.exitStatus(for: signalNumber))
        }
        if first { onFirst(signalNumber) }
    }
}
