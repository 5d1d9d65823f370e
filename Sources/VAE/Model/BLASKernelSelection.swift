import CBLAS
import Foundation

/// Chooses OpenBLAS's compute kernels.
///
/// Debian 12's OpenBLAS (0.3.21) predates AVX-512 on AMD Zen 4/5 and runs its AVX2 "Haswell" kernels
/// there (machines may also pin them with `OPENBLAS_CORETYPE=Haswell`), leaving about half of the
/// sgemm speed unused on the VAE's matrix shapes. On CPUs newer than the library (an Intel CPU with
/// AVX-512 FP16, say) it falls back further, to its SSE3 "Prescott" kernels, several times slower
/// again, with the same results. OpenBLAS reads `OPENBLAS_CORETYPE` once, when the library loads, so
/// the program sets it and re-executes itself before doing any work. docs/speed.md has the measurements.
///
/// `LATENT_EXPLORER_BLAS_CORE` decides: `auto` (the default) upgrades any kernel choice without
/// AVX-512 to SkylakeX when the CPU has AVX-512 F/BW/DQ/VL/CD, and never downgrades; `keep` leaves OpenBLAS's
/// choice (and any `OPENBLAS_CORETYPE`) alone; any other value is passed to OpenBLAS as the core type.
public enum BLASKernelSelection {
    static let policyVariable = "LATENT_EXPLORER_BLAS_CORE"
    static let reexecutedVariable = "LATENT_EXPLORER_BLAS_REEXECUTED"

    /// The kernel family OpenBLAS is using, e.g. "Haswell" or "SkylakeX".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The core type to ask OpenBLAS for, or nil to keep the kernels it loaded.
    public static func preferredCoreType(cpuFlags: Set<String>, currentCore: String,
                                         environment: [String: String]) -> String? {
        guard environment[reexecutedVariable] == nil else { return nil }   // never loop
        let policy = environment[policyVariable] ?? "auto"
        switch policy.lowercased() {
        case "keep":
            return nil
        case "auto", "":
            let avx512 = ["avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]
            guard avx512.allSatisfy(cpuFlags.contains) else { return nil }
            // The library's AVX-512 kernel families: anything else (AVX2's Haswell or Zen, or the
            // SSE3 Prescott it falls back to on a CPU it does not know) leaves AVX-512 unused.
            let avx512Cores = ["skylakex", "cooperlake", "sapphirerapids"]
            return avx512Cores.contains(currentCore.lowercased()) ? nil : "SkylakeX"
        default:
            return policy.lowercased() == currentCore.lowercased() ? nil : policy
        }
    }

    /// The CPU's feature flags from /proc/cpuinfo (empty where it cannot be read).
    public static func cpuFlags() -> Set<String> {
        guard let flags = cpuInfoValue(of: "flags") else { return [] }
        return Set(flags.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    }

    /// The value of the first /proc/cpuinfo line whose key is `key` ("flags", "model name"), trimmed;
    /// nil where the file cannot be read (not Linux) or names no such key (some ARM kernels). Read
    /// with stdio: /proc files report a size of 0, which defeats readers that trust the size.
    public static func cpuInfoValue(of key: String) -> String? {
        guard let file = fopen("/proc/cpuinfo", "r") else { return nil }
        defer { fclose(file) }
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            guard text.hasPrefix(key), let colon = text.firstIndex(of: ":"),
                  text[..<colon].trimmingCharacters(in: .whitespaces) == key else { continue }
            return text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nil
    }

    /// Re-executes the current program with the better kernels selected, when there are any.
    /// Returns only when no re-execution is needed or it failed (then the program goes on as it is).
    public static func reexecuteWithBestKernels(arguments: [String] = CommandLine.arguments) {
        let environment = ProcessInfo.processInfo.environment
        guard let core = preferredCoreType(cpuFlags: cpuFlags(), currentCore: coreName, environment: environment) else {
            return
        }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv(reexecutedVariable, "1", 1)
        var cArguments = arguments.map { strdup($0) } + [nil]
        // The resolved path, not /proc/self/exe itself, so the process keeps its name (ps, pkill).
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "/proc/self/exe"
        execv(executable, &cArguments)
        // exec failed: carry on with the kernels already loaded.
        for pointer in cArguments { free(pointer) }
    }
}
