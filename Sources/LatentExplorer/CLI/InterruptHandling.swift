import Dispatch
import FileFormats
import Foundation

/// Ctrl-C (SIGINT) and SIGTERM while a command works for a long time (`train`).
///
/// The first signal runs `onFirst` (train asks the trainer to stop after the current mini-batch and
/// then saves the best weights so far). A second signal exits at once with 128 + the signal number:
/// it removes the temporary file of a save in progress (`AtomicFile`) and writes nothing, so the
/// file being saved keeps its previous contents.
///
/// The signals are received through dispatch sources rather than a C handler, so the reaction runs
/// on an ordinary thread where locks and allocation are safe.
///
/// @unchecked Sendable: every access to `firstSignal`, `disarmed` and `sources` is under `lock`; the
/// other properties are immutable.
final class InterruptHandling: @unchecked Sendable {
    private let lock = NSLock()
    private var firstSignal: Int32 = 0
    /// Set once the work a second signal would abandon is done: then a late signal changes nothing.
    private var disarmed = false
    private var sources: [DispatchSourceSignal] = []
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
        lock.withLock { firstSignal == 0 ? nil : firstSignal }
    }

    /// The exit status of a process ended by `signal`, as the shell reports it (130 for SIGINT, 143 for SIGTERM).
    static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    static func name(of signal: Int32) -> String {
        signal == SIGINT ? "Ctrl-C (SIGINT)" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
    }

    func install() {
        for signalNumber in Self.handledSignals {
            signal(signalNumber, SIG_IGN)   // the dispatch source receives it instead of the default action
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [weak self] in   // the source itself is released when cancelled
                self?.handle(signalNumber, count: Int(source.data))
            }
            source.resume()
            lock.withLock { sources.append(source) }
        }
    }

    deinit { uninstall() }

    /// Stops listening and restores the default actions, after any reaction already running.
    func uninstall() {
        let installed = lock.withLock {
            disarmed = true
            defer { sources.removeAll() }
            return sources
        }
        for source in installed { source.cancel() }
        for signalNumber in Self.handledSignals { signal(signalNumber, SIG_DFL) }
    }

    private func handle(_ signalNumber: Int32, count: Int) {
        lock.lock()
        guard !disarmed else { lock.unlock(); return }
        guard firstSignal != 0 || count >= 2 else {
            firstSignal = signalNumber
            lock.unlock()
            onFirst(signalNumber)
            return
        }
        // A second signal (two may arrive as one event). The lock stays held: `uninstall` cannot
        // declare the work finished while this exits.
        if firstSignal == 0 { firstSignal = signalNumber }
        AtomicFile.removeTemporaryFiles()
        FileHandle.printError("\n\(Self.name(of: signalNumber)) again: quitting now. \(secondMessage)")
        _exit(Self.exitStatus(for: signalNumber))
    }
}
