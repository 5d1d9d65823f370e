import CKernels
import Foundation

/// How the compute threads treat subnormal floats (those below 1.2e-38): flushed to zero, unless
/// `LATENT_EXPLORER_SUBNORMALS=keep`.
///
/// Intel cores take a microcode assist of about a hundred cycles for each subnormal operand or result.
/// Training makes them all the time (Adam's second moment of a weight whose gradient is near 0 decays
/// through them), and on an AVX-512 Xeon the MLP spent 15 % of an epoch in Adam's pass with them kept
/// (`floating_point_mode.h`; docs/speed.md has the measurements). Flushing changes only values that
/// small, which no loss, gradient or weight of the VAE depends on. `ComputePool` applies it to every
/// region: its workers flush for their whole life, the calling thread for the length of a region.
public enum SubnormalPolicy {
    static let variable = "LATENT_EXPLORER_SUBNORMALS"

    /// Whether the compute threads flush subnormals to zero; read once per process.
    public static let flushes: Bool = ProcessInfo.processInfo.environment[variable]?.lowercased() != "keep"

    /// The policy in words, for `bench`'s header.
    public static var description: String {
        flushes ? "flushed to zero" : "kept (\(variable)=keep)"
    }

    /// Runs `body` with the calling thread flushing subnormals when the policy says so, then gives the
    /// thread back the mode it had.
    @inline(__always)
    static func applied<Result>(_ body: () throws -> Result) rethrows -> Result {
        guard flushes else { return try body() }
        let previous = lx_flush_subnormals()
        defer { lx_set_floating_point_mode(previous) }
        return try body()
    }

    /// Sets the calling thread to flush for good, when the policy says so: for threads that only run
    /// regions (the pool's workers).
    static func applyForThisThread() {
        if flushes { _ = lx_flush_subnormals() }
    }
}
