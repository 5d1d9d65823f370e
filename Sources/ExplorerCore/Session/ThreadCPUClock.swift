#if canImport(Glibc)
import Glibc
#endif

/// The CPU time the calling thread has used (user and system), in nanoseconds: what the bench reads to
/// say how much of the machine the explorer's own threads (the UI, the decode worker) take from
/// training, a figure other processes on the cores do not move the way they move wall-clock speed.
public enum ThreadCPUClock {
    public static func nanoseconds() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }
}
