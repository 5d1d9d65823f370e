import Foundation
import Support
import VAE

/// One figure's value: a measurement, a count, a name (the BLAS core, the kernel path) or a list of
/// measurements (one per run).
enum BenchValue: Equatable, Encodable {
    case number(Double)
    case count(Int)
    case text(String)
    case numbers([Double])

    /// JSON has no NaN or infinity: a figure that could not be measured is written as null.
    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): value.isFinite ? try container.encode(value) : try container.encodeNil()
        case .count(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .numbers(let values): try container.encode(values.map { $0.isFinite ? $0 : nil })
        }
    }

    /// As the table shows it: whole numbers from 100 up, three decimals below.
    var formatted: String {
        switch self {
        case .number(let value): return value >= 100 ? String(format: "%.0f", value) : String(format: "%.3f", value)
        case .count(let value): return String(value)
        case .text(let value): return value
        case .numbers(let values): return values.map { BenchValue.number($0).formatted }.joined(separator: " ")
        }
    }
}

/// The figures of one `bench` sitting, in the order they were measured, under their JSON keys
/// (`<kind>_train_samples_per_sec`, `sgemm_peak_gflops`, ...). The one place that turns them into
/// text: `json()` for machines (one object, keys sorted), `table()` for people (`FigureTable`, the
/// unit read from each key's suffix).
struct BenchReport: Encodable {
    private(set) var figures: [(key: String, value: BenchValue)] = []

    /// A report that starts with what runs the figures: the CPU, the copy of our own kernels it runs
    /// (`KernelPath`) and its convolution products' path, OpenBLAS's kernel family and the threads.
    static func machine(threads: Int) -> BenchReport {
        var report = BenchReport()
        report.add("cpu_model", CPUDescription.modelName)
        report.add("kernel_path", KernelPath.name)
        report.add("conv_kernel_path", KernelPath.convolutionProducts)
        report.add("blas_core", BLASKernelSelection.coreName)
        report.add("subnormals", SubnormalPolicy.description)
        report.add("threads", threads)
        return report
    }

    mutating func add(_ key: String, _ value: BenchValue) {
        figures.append((key, value))
    }

    mutating func add(_ key: String, _ value: Double) { add(key, .number(value)) }
    mutating func add(_ key: String, _ value: Int) { add(key, .count(value)) }
    mutating func add(_ key: String, _ value: String) { add(key, .text(value)) }

    /// The value last added under `key`.
    subscript(key: String) -> BenchValue? { figures.last { $0.key == key }?.value }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// One JSON object; a key added twice keeps its last value.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        var latest: [String: BenchValue] = [:]
        for (key, value) in figures { latest[key] = value }
        for (key, value) in latest { try container.encode(value, forKey: Key(stringValue: key)) }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func table() -> String {
        FigureTable.render(figures.map { ($0.key, $0.value.formatted) })
    }
}
