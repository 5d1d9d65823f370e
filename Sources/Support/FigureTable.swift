import Foundation

/// A benchmark's figures for people: one row per figure with its name in words, its value and its unit,
/// aligned, the unit read from the key's suffix (`mlp_train_samples_per_sec` → "mlp train",
/// "samples/s"). Machines read the same figures as JSON, under the keys.
public enum FigureTable {
    /// Key suffixes and the unit each means, longest first so that `_samples_per_sec_min` is not read as `_min`.
    static let units: [(suffix: String, unit: String)] = [
        ("_samples_per_sec_runs", "samples/s (each run)"), ("_samples_per_sec_min", "samples/s (slowest)"),
        ("_samples_per_sec_max", "samples/s (fastest)"), ("_samples_per_sec", "samples/s"),
        ("_share_of_sgemm_peak", "of sgemm peak"), ("_speedup_vs_torch", "× PyTorch"),
        ("_slowest_vs_torch_median", "× PyTorch (slowest run)"), ("_to_train_ratio", "× train"),
        ("_to_train_ratio_min", "× train (lowest pair)"), ("_cpu_us_per_image", "CPU µs/image"),
        ("_windows", "windows (one epoch each)"), ("_cpu_ms_per_s", "CPU ms/s"), ("_letters_decoded_per_s", "letters decoded/s"),
        ("_gflops", "GFLOP/s"), ("_seconds", "s"), ("_us", "µs"), ("_ms", "ms"), ("_mb", "MB"),
        ("_images", "images"), ("_spread", "spread (max/min)"),
    ]

    /// The name in words and the unit of `key`.
    public static func describe(_ key: String) -> (name: String, unit: String) {
        for (suffix, unit) in units where key.hasSuffix(suffix) && key.count > suffix.count {
            return (String(key.dropLast(suffix.count)).replacingOccurrences(of: "_", with: " "), unit)
        }
        return (key.replacingOccurrences(of: "_", with: " "), "")
    }

    /// The rows, `figures` in their order, as text: "figure  value  unit" columns under a heading.
    public static func render(_ figures: [(key: String, value: String)]) -> String {
        let rows = [("figure", "value", "unit")] + figures.map { key, value in
            let (name, unit) = describe(key)
            return (name, value, unit)
        }
        let nameWidth = rows.map(\.0.count).max() ?? 0, valueWidth = rows.map(\.1.count).max() ?? 0
        return rows.map { name, value, unit in
            let padding = String(repeating: " ", count: valueWidth - value.count)
            let line = name + String(repeating: " ", count: nameWidth - name.count) + "  " + padding + value + "  " + unit
            return String(line.reversed().drop { $0 == " " }.reversed())
        }.joined(separator: "\n")
    }
}
