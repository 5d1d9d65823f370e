import Dispatch
import Support
import Synchronization
import XCTest
@testable import VAE

/// `WaitList`, the waiting that `Mutex` lacks, and the two types built on it: no wake-up is lost,
/// whatever the order of the waiter's sleep and the change it waits for.
final class WaitListTests: XCTestCase {
    private struct Flag {
        var raised = false
        var waiters = WaitList()
    }

    /// A wake given between the waiter's unlock and its `wait` is kept: the wait returns at once.
    func testAWakeGivenBeforeTheWaitIsKept() {
        let state = Mutex(Flag())
        let ticket = state.withLock { $0.waiters.enter() }
        state.withLock { $0.raised = true; return $0.waiters.takeAll() }.wake()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { ticket.wait(); done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success, "the wake before the wait was lost")
    }

    /// Every waiter is woken by one change, and once taken the list is empty.
    func testOneChangeWakesEveryWaiterAndEmptiesTheList() {
        let state = Mutex(Flag())
        let woken = Atomic<Int>(0)
        let group = DispatchGroup()
        let entered = DispatchSemaphore(value: 0)
        for _ in 0 ..< 4 {
            DispatchQueue.global().async(group: group) {
                while true {
                    let ticket = state.withLock { $0.raised ? nil : $0.waiters.enter() }
                    entered.signal()
                    guard let ticket else { break }
                    ticket.wait()
                }
                woken.add(1, ordering: .relaxed)
            }
        }
        for _ in 0 ..< 4 { entered.wait() }
        state.withLock { $0.raised = true; return $0.waiters.takeAll() }.wake()
        XCTAssertEqual(group.wait(timeout: .now() + 10), .success, "a waiter was never woken")
        XCTAssertEqual(woken.load(ordering: .relaxed), 4)
        // A ticket sleeps until it is woken, not merely until it is taken from the list.
        let late = state.withLock { $0.waiters.enter() }
        let taken = state.withLock { $0.waiters.takeAll() }
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { late.wait(); done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 0.2), .timedOut, "a ticket returned before wake()")
        taken.wake()
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success, "wake() did not end the wait")
    }

    /// A reader blocked in `next()` gets an event sent from another thread, and nil after the close.
    func testTrainingChannelNextWakesOnSendAndEndsOnClose() {
        let channel = TrainingChannel()
        let received = Mutex<[String]>([])
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            while let event = channel.next() {
                if case .paused = event { received.withLock { $0.append("paused") } }
            }
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.05)   // the reader is asleep in next() by now (not required for the check)
        channel.send(.paused)
        channel.close()
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success, "next() never returned nil after close()")
        XCTAssertEqual(received.withLock { $0 }, ["paused"])
    }

    /// A paused trainer's wait ends on resume (calling `onResume`) or on stop (returning false).
    func testTrainingControlWaitEndsOnResumeOrStop() {
        for stopping in [false, true] {
            let control = TrainingControl()
            control.pause()
            let result = Mutex<(kept: Bool, paused: Int, resumed: Int)?>(nil)
            let done = DispatchSemaphore(value: 0)
            let pausedSignal = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                var (paused, resumed) = (0, 0)
                let kept = control.waitWhilePaused(onPause: { paused += 1; pausedSignal.signal() }, onResume: { resumed += 1 })
                result.withLock { $0 = (kept, paused, resumed) }
                done.signal()
            }
            XCTAssertEqual(pausedSignal.wait(timeout: .now() + 10), .success)
            if stopping { control.stop() } else { control.resume() }
            XCTAssertEqual(done.wait(timeout: .now() + 10), .success, "the wait did not end (stopping: \(stopping))")
            let (kept, paused, resumed) = result.withLock { $0 } ?? (true, -1, -1)
            XCTAssertEqual(kept, !stopping)
            XCTAssertEqual(paused, 1)
            XCTAssertEqual(resumed, stopping ? 0 : 1)
        }
        let running = TrainingControl()
        XCTAssertTrue(running.waitWhilePaused(onPause: { XCTFail("not paused") }, onResume: { XCTFail("not paused") }))
    }
}
