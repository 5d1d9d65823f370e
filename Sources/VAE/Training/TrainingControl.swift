import Support
import Synchronization

/// Pause, resume and stop requests, and a new KL weight β, from any thread; the trainer checks them
/// between mini-batches.
public final class TrainingControl: Sendable {
    private struct State {
        var paused = false
        var stopped = false
        var requestedKLWeight: Double?
        /// The trainer, while it waits in `waitWhilePaused` for a resume or a stop.
        var waiting = WaitList()
    }
    private let state = Mutex(State())

    public init() {}

    /// Asks the trainer to weigh the KL term by `beta` from its next mini-batch on; clamped to
    /// `VAEObjective.klWeightRange`. Returns the β that will be used.
    @discardableResult
    public func setKLWeight(_ beta: Double) -> Double {
        let range = VAEObjective.klWeightRange
        let clamped = beta.isNaN ? range.lowerBound : min(max(beta, range.lowerBound), range.upperBound)
        state.withLock { $0.requestedKLWeight = clamped }
        return clamped
    }

    /// Takes the β requested since the last call, if any (the trainer's side of `setKLWeight`).
    func takeKLWeight() -> Double? {
        state.withLock { state in
            defer { state.requestedKLWeight = nil }
            return state.requestedKLWeight
        }
    }

    public var isPaused: Bool { state.withLock { $0.paused } }

    /// Whether a stop was requested (a run still preparing its data checks this before it trains).
    public var isStopped: Bool { state.withLock { $0.stopped } }

    public func pause() { state.withLock { $0.paused = true } }

    public func resume() {
        state.withLock { state in
            state.paused = false
            return state.waiting.takeAll()
        }.wake()
    }

    public func stop() {
        state.withLock { state in
            state.stopped = true
            return state.waiting.takeAll()
        }.wake()
    }

    /// What the trainer finds under the lock between mini-batches.
    private enum Check: Sendable {
        case go, stop
        case wait(WaitList.Ticket)
    }

    private func check() -> Check {
        state.withLock { state in
            state.stopped ? .stop : !state.paused ? .go : .wait(state.waiting.enter())
        }
    }

    /// Blocks while paused; returns false when a stop was requested. `onPause` runs once if it waits,
    /// and `onResume` once when a resume ends the wait.
    func waitWhilePaused(onPause: () -> Void, onResume: () -> Void) -> Bool {
        var ticket: WaitList.Ticket
        switch check() {
        case .go: return true
        case .stop: return false
        case .wait(let first): ticket = first
        }
        onPause()
        while true {
            ticket.wait()
            switch check() {
            case .go: onResume(); return true
            case .stop: return false
            case .wait(let next): ticket = next
            }
        }
    }
}
