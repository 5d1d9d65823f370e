import CKernels
import Foundation
import Support
import Synchronization

/// The threads that do a training step's arithmetic: the calling thread plus `threadCount - 1` workers
/// of our own, one per core. Every matrix product inside runs single-threaded in OpenBLAS on the part
/// of the work its thread owns, so OpenBLAS's own thread pool stays out of the picture.
///
/// Why our own pool: OpenBLAS's workers, after each call, spin with `sched_yield` for about 0.1 s
/// before they sleep. Between two sgemms of a training step they never sleep, so one core is always
/// busy-yielding: any other thread (the element-wise work of the step, the explorer's UI, a Dispatch
/// worker) then shares a core with a spinner, and profiles showed a fifth of the time in the
/// scheduler. Here a worker spins with PAUSE (no system call) for at most `spinDuration` after a
/// region, long enough to bridge the gaps inside a step, and then sleeps on a condition variable:
/// between steps of a paused run, or while the explorer only draws, no thread is left spinning.
///
/// A region (`run`) splits work by an index `0 ..< threadCount`; the caller takes index 0. Regions
/// from different threads are serialised. Every region runs with subnormal floats flushed to zero
/// (`SubnormalPolicy`): the workers for their whole life, the calling thread for the region's length.
/// A pool is an explicit dependency: layers, the optimizer and the loss take the one their
/// `TrainingStep`, `Trainer` or `Inference` was given, and callers that do not choose a thread count
/// pass `ComputePool.default`.
///
/// @unchecked Sendable: (one of the three left) `job`, a region's body, is a non-`Sendable` closure that
/// every worker calls at once without taking a lock (a `Mutex` would serialise the calls, and could
/// not hand the closure out of its region). It is written only under `regionLock`, published to the
/// workers by the sequentially consistent `generation` increment, and cleared only after `unfinished`
/// (atomic) says every worker has finished calling it; everything else is immutable, atomic or a
/// lock.
public final class ComputePool: @unchecked Sendable {
    /// A pool of `defaultThreadCount` threads, made on first use, for callers that do not choose one.
    public static let `default` = ComputePool(threadCount: defaultThreadCount)

    /// `LATENT_EXPLORER_THREADS`, else `OPENBLAS_NUM_THREADS`, else the cores this process may use.
    public static var defaultThreadCount: Int {
        let environment = ProcessInfo.processInfo.environment
        for key in ["LATENT_EXPLORER_THREADS", "OPENBLAS_NUM_THREADS"] {
            if let text = environment[key], let count = Int(text), count > 0 { return min(count, 256) }
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// A worker's stack: it only runs the regions' bodies, which keep their data on the heap.
    static let workerStackSize = 1 << 20

    /// How long a worker keeps spinning for the next region before it sleeps.
    static let spinDuration: UInt64 = 200_000   // ns

    public let threadCount: Int
    private let generation = Atomic<Int>(0)
    /// Regions run on more than one thread since the pool was made: each is a fork and a join, so
    /// tests count a pass's joins with it (`regionsRun`).
    private let regionCount = Atomic<Int>(0)
    private let unfinished = Atomic<Int>(0)
    private let condition = NSCondition()
    private let regionLock = NSLock()
    /// The running region's body; see the type's comment for what guards it.
    private var job: ((Int) -> Void)?

    /// How many regions have run on more than one thread (a region on one thread is a plain call).
    public var regionsRun: Int { regionCount.load(ordering: .relaxed) }

    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        BLAS.threadCount = 1
        for index in 1 ..< self.threadCount {
            // Never joined (the handle is dropped, so the thread is detached): the pool lives as long
            // as the process.
            _ = JoinableThread(name: "compute-\(index)", stackSize: Self.workerStackSize) { [self] in workerLoop(index) }
        }
    }

    /// Runs `body(index)` for every `index` in `0 ..< threadCount` at once, index 0 on the calling
    /// thread, and returns when all have finished. `body` runs on several threads at once: each index
    /// must touch only memory no other index touches (its rows, its slot) besides what all only read.
    /// It need not be `@Sendable`: a region is a fork and a join, and nothing of it outlives `run`.
    public func run(_ body: (_ index: Int) -> Void) {
        SubnormalPolicy.applied { runRegion(body) }
    }

    private func runRegion(_ body: (_ index: Int) -> Void) {
        guard threadCount > 1 else { return body(0) }
        regionCount.add(1, ordering: .relaxed)
        withoutActuallyEscaping(body) { body in
            regionLock.lock()
            defer { regionLock.unlock() }
            job = body
            unfinished.store(threadCount - 1, ordering: .sequentiallyConsistent)
            generation.add(1, ordering: .sequentiallyConsistent)
            condition.lock()
            condition.broadcast()
            condition.unlock()
            body(0)
            wait { self.unfinished.load(ordering: .acquiring) == 0 }
            job = nil
        }
    }

    /// Runs `body(index)` for every `index` in `0 ..< parts` (at most `threadCount`) at once: one region,
    /// or the calling thread alone for one part. For passes that split several ranges by the same parts.
    public func forEachIndex(_ parts: Int, _ body: (_ index: Int) -> Void) {
        precondition(parts >= 1 && parts <= threadCount, "1 to \(threadCount) parts")
        guard parts > 1 else { return SubnormalPolicy.applied { body(0) } }
        run { index in
            guard index < parts else { return }
            body(index)
        }
    }

    /// Splits `0 ..< count` into `parts` (at most `threadCount`) contiguous ranges, in order, and runs
    /// `body(part, range)` on each at once; one part runs on the calling thread alone. The split depends
    /// only on `count` and `parts`, so results summed over parts in part order repeat from run to run.
    public func forEachPart(of count: Int, parts requested: Int? = nil,
                            _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
        guard count > 0 else { return }
        let parts = min(requested ?? threadCount, threadCount, count)
        guard parts > 1 else { return SubnormalPolicy.applied { body(0, 0 ..< count) } }
        run { part in
            guard part < parts else { return }
            body(part, Self.part(part, of: count, parts: parts))
        }
    }

    /// Σ body(range) over the parts of `0 ..< count` (as `forEachPart`), added in part order. Each
    /// part writes its own slot of one buffer, read after the region has ended.
    public func sum(of count: Int, parts: Int? = nil, _ body: (_ range: Range<Int>) -> Double) -> Double {
        let partials = UnsafeMutableBufferPointer<Double>.allocate(capacity: threadCount)
        defer { partials.deallocate() }
        partials.initialize(repeating: 0)
        forEachPart(of: count, parts: parts) { part, range in partials[part] = body(range) }
        return partials.reduce(0, +)
    }

    /// Part `index` of `0 ..< count` split in `parts` contiguous ranges of near-equal size.
    public static func part(_ index: Int, of count: Int, parts: Int) -> Range<Int> {
        let size = count / parts, extra = count % parts
        let start = index * size + min(index, extra)
        return start ..< start + size + (index < extra ? 1 : 0)
    }

    private func workerLoop(_ index: Int) {
        SubnormalPolicy.applyForThisThread()
        var seen = 0
        while true {
            wait { self.generation.load(ordering: .acquiring) != seen }
            seen = generation.load(ordering: .acquiring)
            runJob(index)
            if unfinished.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 {
                condition.lock()
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// Calls the region's body. A function of its own, kept out of line, so that this thread's
    /// reference to the body is released before it reports the part done: `run` checks (through
    /// `withoutActuallyEscaping`) that nothing holds the body once the region has ended.
    @inline(never)
    private func runJob(_ index: Int) {
        job?(index)
    }

    /// Spins on `ready` for up to `spinDuration`, then sleeps on the condition until it holds. Every
    /// change of state is followed by a broadcast under the lock, so the check under the lock cannot
    /// miss one.
    private func wait(until ready: () -> Bool) {
        let start = DispatchTime.now().uptimeNanoseconds
        var spins = 0
        while !ready() {
            lx_cpu_relax()
            spins += 1
            if spins & 63 == 0 && DispatchTime.now().uptimeNanoseconds - start > Self.spinDuration {
                condition.lock()
                while !ready() { condition.wait() }
                condition.unlock()
                return
            }
        }
    }
}
