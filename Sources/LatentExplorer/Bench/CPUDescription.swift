import VAE

/// The CPU the figures were measured on, as /proc/cpuinfo names it, for the record beside them.
enum CPUDescription {
    /// The first "model name" line's value, or "unknown" where /proc/cpuinfo cannot be read (not Linux)
    /// or names none (some ARM kernels).
    static var modelName: String {
        BLASKernelSelection.cpuInfoValue(of: "model name") ?? "unknown"
    }
}
