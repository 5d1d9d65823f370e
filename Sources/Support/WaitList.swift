import Dispatch

/// The threads waiting for state held in a `Mutex` to change. The standard library's `Mutex` has no
/// condition variable, so a waiter enters this list *under the lock* and sleeps after releasing it,
/// and whoever changes the state takes the list under the lock and wakes it after releasing it:
///
///     // the waiter, in a loop that checks again after each wake-up
///     let ticket = state.withLock { $0.ready ? nil : $0.waiters.enter() }
///     ticket?.wait()
///     // the changer
///     state.withLock { $0.ready = true; return $0.waiters.takeAll() }.wake()
///
/// No wake-up is lost: a ticket is a semaphore, so a wake given between the waiter's unlock and its
/// `wait` is kept, and the waiter cannot miss a change made after it entered, because the changer
/// takes the list under the same lock.
public struct WaitList: Sendable {
    private var sleepers: [DispatchSemaphore] = []

    public init() {}

    /// Joins the list (under the lock); wait on the ticket once the lock is released.
    public mutating func enter() -> Ticket {
        let semaphore = DispatchSemaphore(value: 0)
        sleepers.append(semaphore)
        return Ticket(semaphore: semaphore)
    }

    /// Empties the list (under the lock); `wake` what it returns once the lock is released.
    public mutating func takeAll() -> Wakeups {
        defer { sleepers.removeAll() }
        return Wakeups(sleepers: sleepers)
    }

    /// One waiter's place in the list.
    public struct Ticket: Sendable {
        fileprivate let semaphore: DispatchSemaphore
        /// Sleeps until the ticket is woken (at once when it already was).
        public func wait() { semaphore.wait() }
    }

    /// The waiters taken from the list, to wake outside the lock.
    public struct Wakeups: Sendable {
        fileprivate let sleepers: [DispatchSemaphore]
        public func wake() { for sleeper in sleepers { sleeper.signal() } }
    }
}
