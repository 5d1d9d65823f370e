import Support
import Synchronization

/// A thread-safe mailbox from the training thread to its subscribers.
///
/// The trainer `send`s; a UI drains with `poll()` once a frame (never blocks); a command line waits with
/// `next()`. Weight snapshots are large, so an unread snapshot is replaced by a newer one rather than
/// queued, and a slow reader never piles up memory.
public final class TrainingChannel: Sendable {
    private struct State {
        var events: [TrainingEvent] = []
        var closed = false
        /// Readers in `next()` waiting for an event or the close.
        var readers = WaitList()
    }
    private let state = Mutex(State())

    public init() {}

    public func send(_ event: TrainingEvent) {
        state.withLock { state in
            if case .snapshot = event {
                state.events.removeAll { if case .snapshot = $0 { return true } else { return false } }
            }
            state.events.append(event)
            return state.readers.takeAll()
        }.wake()
    }

    /// No more events will come; readers drain what is left and then get nil.
    public func close() {
        state.withLock { state in
            state.closed = true
            return state.readers.takeAll()
        }.wake()
    }

    /// Everything received so far, at once, without waiting.
    public func poll() -> [TrainingEvent] {
        state.withLock { state in
            defer { state.events.removeAll(keepingCapacity: true) }
            return state.events
        }
    }

    /// What `next()` finds under the lock: an event, the end, or a ticket to wait on.
    private enum Next: Sendable {
        case event(TrainingEvent?)
        case wait(WaitList.Ticket)
    }

    /// The next event, waiting for it; nil once the channel is closed and empty.
    public func next() -> TrainingEvent? {
        while true {
            let found = state.withLock { state -> Next in
                if !state.events.isEmpty { return .event(state.events.removeFirst()) }
                return state.closed ? .event(nil) : .wait(state.readers.enter())
            }
            switch found {
            case .event(let event): return event
            case .wait(let ticket): ticket.wait()
            }
        }
    }
}
