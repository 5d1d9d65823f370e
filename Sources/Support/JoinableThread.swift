import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one way the project starts a thread of its own (training runs, the compute pool's workers): a
/// POSIX thread with a chosen stack size, optionally named and niced, joined through this handle.
///
/// `body` is `sending`: what it captures moves to the new thread, so the compiler checks that the
/// starting thread keeps no access to it (hand a model over this way, and talk to it afterwards through
/// `Sendable` objects such as `TrainingChannel` and `TrainingControl`). The handle itself belongs to the
/// thread that made it; a handle dropped without a join detaches its thread.
public final class JoinableThread {
    /// What the new thread runs; passed to `pthread_create` as an opaque pointer.
    private final class Start {
        let name: String?
        let niceness: Int32?
        let body: () -> Void
        init(name: String?, niceness: Int32?, body: @escaping () -> Void) {
            (self.name, self.niceness, self.body) = (name, niceness, body)
        }
    }

    private let thread: pthread_t
    /// Signalled once, as the last thing `body`'s thread does; given back after each wait.
    private let ended = DispatchSemaphore(value: 0)
    private var joined = false

    /// Starts `body` on a new thread of `stackSize` bytes. `name` (at most 15 bytes show) is what `top -H`
    /// and /proc show; `niceness` lowers the thread's priority (on Linux the nice value is per thread).
    public init(name: String? = nil, stackSize: Int, niceness: Int32? = nil, _ body: sending @escaping () -> Void) {
        let ended = ended
        let start = Start(name: name, niceness: niceness) {
            body()
            ended.signal()
        }
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(start).toOpaque()
        let status = pthread_create(&thread, &attributes, { context in
            let start = Unmanaged<Start>.fromOpaque(context!).takeRetainedValue()
            JoinableThread.configureCurrentThread(name: start.name, niceness: start.niceness)
            start.body()
            return nil
        }, context)
        precondition(status == 0, "could not start a thread (pthread_create: \(status))")
        self.thread = thread
    }

    /// Waits for the thread to end and reclaims it.
    public func join() {
        guard !joined else { return }
        ended.wait()
        ended.signal()
        pthread_join(thread, nil)
        joined = true
    }

    /// Waits at most `timeout` seconds for the thread to end; joins it and returns true if it did.
    @discardableResult
    public func join(timeout: Double) -> Bool {
        guard !joined else { return true }
        guard ended.wait(timeout: .now() + timeout) == .success else { return false }
        ended.signal()
        join()
        return true
    }

    deinit {
        if !joined { pthread_detach(thread) }
    }

    /// Names the calling thread for the kernel (through /proc: Swift does not see glibc's
    /// `pthread_setname_np`) and sets its nice value (`who` 0 is the calling thread).
    private static func configureCurrentThread(name: String?, niceness: Int32?) {
        if let name { try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8) }
        if let niceness { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
    }
}
