import Foundation

/// A thread-safe mailbox from the training thread to its subscribers.
///
/// The trainer `send`s; a UI drains with `poll()` once a frame (never blocks); a command line waits with
/// `next()`. Weight snapshots are large, so an unread snapshot is replaced by a newer one rather than
/// queued, and a slow reader never piles up memory.
///
/// @unchecked Sendable: every access to `events` and `closed` is under `condition`'s lock.
public final class TrainingChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var events: [TrainingEvent] = []
    private var closed = false

    public init() {}

    public func send(_ event: TrainingEvent) {
        condition.lock()
        defer { condition.unlock() }
        if case .snapshot = event {
            events.removeAll { if case .snapshot = $0 { return true } else { return false } }
        }
        events.append(event)
        condition.broadcast()
    }

    /// No more events will come; readers drain what is left and then get nil.
    public func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Everything received so far, at once, without waiting.
    public func poll() -> [TrainingEvent] {
        condition.lock()
        defer { condition.unlock() }
        let drained = events
        events.removeAll(keepingCapacity: true)
        return drained
    }

    /// The next event, waiting for it; nil once the channel is closed and empty.
    public func next() -> TrainingEvent? {
        condition.lock()
        defer { condition.unlock() }
        while events.isEmpty && !closed { condition.wait() }
        return events.isEmpty ? nil : events.removeFirst()
    }
}
