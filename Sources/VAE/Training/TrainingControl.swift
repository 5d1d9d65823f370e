import Foundation

/// Pause, resume and stop requests, and a new KL weight β, from any thread; the trainer checks them
/// between mini-batches.
///
/// @unchecked Sendable: every access to `paused`, `stopped` and `requestedKLWeight` is under `condition`'s lock.
public final class TrainingControl: @unchecked Sendable {
    private let condition = NSCondition()
    private var paused = false
    private var stopped = false
    private var requestedKLWeight: Double?

    public init() {}

    /// Asks the trainer to weigh the KL term by `beta` from its next mini-batch on; clamped to
    /// `VAEObjective.klWeightRange`. Returns the β that will be used.
    @discardableResult
    public func setKLWeight(_ beta: Double) -> Double {
        let range = VAEObjective.klWeightRange
        let clamped = beta.isNaN ? range.lowerBound : min(max(beta, range.lowerBound), range.upperBound)
        condition.lock(); requestedKLWeight = clamped; condition.unlock()
        return clamped
    }

    /// Takes the β requested since the last call, if any (the trainer's side of `setKLWeight`).
    func takeKLWeight() -> Double? {
        condition.lock(); defer { condition.unlock() }
        let beta = requestedKLWeight
        requestedKLWeight = nil
        return beta
    }

    public var isPaused: Bool { condition.lock(); defer { condition.unlock() }; return paused }

    /// Whether a stop was requested (a run still preparing its data checks this before it trains).
    public var isStopped: Bool { condition.lock(); defer { condition.unlock() }; return stopped }

    public func pause() { condition.lock(); paused = true; condition.unlock() }

    public func resume() {
        condition.lock(); paused = false; condition.broadcast(); condition.unlock()
    }

    public func stop() {
        condition.lock(); stopped = true; condition.broadcast(); condition.unlock()
    }

    /// Blocks while paused; returns false when a stop was requested. `onPause` runs once if it waits.
    func waitWhilePaused(onPause: () -> Void, onResume: () -> Void) -> Bool {
        condition.lock()
        if paused && !stopped {
            condition.unlock()
            onPause()
            condition.lock()
            while paused && !stopped { condition.wait() }
            let keepGoing = !stopped
            condition.unlock()
            if keepGoing { onResume() }
            return keepGoing
        }
        let keepGoing = !stopped
        condition.unlock()
        return keepGoing
    }
}
