import Foundation

/// Pause, resume and stop requests from any thread; the trainer checks them between mini-batches.
public final class TrainingControl: @unchecked Sendable {
    private let condition = NSCondition()
    private var paused = false
    private var stopped = false

    public init() {}

    public var isPaused: Bool { condition.lock(); defer { condition.unlock() }; return paused }

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
