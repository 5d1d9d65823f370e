import ArgumentParser
import Foundation
import LetterData
import Support
import VAE

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training, decoding, drawing and loading speed, and peak memory.",
        discussion: """
            Training is timed in windows of one epoch after a warm-up epoch (--windows of them, --repeat runs \
            back to back); each figure is the median over all windows, with the slowest window and the spread \
            beside it. The machine's own sgemm peak (a 2048³ product on all threads) puts the training FLOP \
            rate in proportion. Every registered architecture is timed (\(Architectures.names)), its figures' \
            keys prefixed as it declares. With --torch (a path, or a name looked up on PATH) and --torch-script, \
            the PyTorch reference is first checked on a few images, then runs on the same images after each of \
            our runs of the architectures it has, in the same sitting, and the ratios are printed; when it \
            fails, the end of its standard error is shown.
            """)

    /// The parts of the benchmark that are not an architecture; `--only` also takes architecture names.
    static let otherParts = ["explorer", "decode", "frame", "loading"]
    /// Every name `--only` takes: the sgemm peak, each architecture's training, then the rest.
    static var partNames: [String] { ["peak"] + Architectures.all.map { $0.name } + otherParts }

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Threads for OpenBLAS (and for the reference).") var threads = 2
    @Option(help: ArgumentHelp("Training images for one architecture, e.g. conv=5000, or for all with a bare number (repeatable).",
                               discussion: "Taken from the data set, or generated. Defaults: "
                                   + Architectures.all.map { "\($0.name) \($0.bench.images)" }.joined(separator: ", ") + ".",
                               valueName: "[kind=]n"))
    var trainImages: [String] = []
    @Option(help: "Timed one-epoch windows per run.") var windows = 5
    @Option(help: "Training runs back to back (each a warm-up epoch and --windows timed ones).") var `repeat` = 1
    @Option(help: "Points per side of the explorer grid timed for grid_decode_ms.") var gridSide = 15
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Run only these parts (\(Self.partNames.joined(separator: ", "))).",
                                                          valueName: "part"))
    var only: [String] = []
    @Option(help: ArgumentHelp("A Python with PyTorch, to run the reference beside us (needs --torch-script).", valueName: "python"))
    var torch: String?
    @Option(help: ArgumentHelp("The reference script, run with --arch, --n, --threads and --data.", valueName: "path"))
    var torchScript: String?
    @Flag(help: "Print one JSON object (for machines) instead of the table of figures with units.") var json = false

    func validate() throws {
        try OptionRanges.check(threads, in: OptionRanges.threads, "--threads")
        _ = try imageCounts()
        if let part = only.first(where: { !Self.partNames.contains($0) }) {
            throw ValidationError("--only \(part): not a part (\(Self.partNames.joined(separator: ", ")))")
        }
        if torch != nil, torchScript == nil {
            throw ValidationError("--torch needs --torch-script, the reference script to run")
        }
        try OptionRanges.check(windows, in: OptionRanges.benchRuns, "--windows")
        try OptionRanges.check(`repeat`, in: OptionRanges.benchRuns, "--repeat")
        try OptionRanges.check(gridSide, in: OptionRanges.benchGridSide, "--grid-side")
    }

    private func wants(_ part: String) -> Bool { only.isEmpty || only.contains(part) }

    /// Training images per architecture name: each architecture's `bench.images`, then `--train-images`
    /// in order (a bare number for all, `kind=n` for one).
    func imageCounts() throws -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: Architectures.all.map { ($0.name, $0.bench.images) })
        for item in trainImages {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard let count = Int(parts.last ?? "") else {
                throw ValidationError("--train-images \(item): expected a number or kind=number, e.g. conv=5000")
            }
            try OptionRanges.check(count, in: OptionRanges.benchImages, "--train-images")
            if parts.count == 2 {
                _ = try CLIError.wrap { try Architectures.find(parts[0]) }
                counts[parts[0]] = count
            } else {
                for name in counts.keys { counts[name] = count }
            }
        }
        return counts
    }

    func run() throws {
        let pool = ComputePool(threadCount: threads)
        var figures: [(String, Any)] = []
        func report(_ key: String, _ value: Any) {
            figures.append((key, value))
        }
        let reference = try torch.map { try TorchReference(python: $0, script: torchScript ?? "") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-explorer-bench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var torchVersion: String?
        if let reference {
            torchVersion = try StatusLine.run("Checking the PyTorch reference (\(reference.python))…") {
                let few = SyntheticLetters.makeImageSet(count: TorchReference.checkImages, seed: 1)
                return try reference.check(on: few, threads: threads, folder: folder + "/torch-check")
            }
        }
        let counts = try imageCounts()
        let images = try trainingImages(count: counts.values.max() ?? 0)
        report("blas_core", BLASKernelSelection.coreName)
        report("threads", threads)

        var peak: Double?
        if wants("peak") {
            peak = StatusLine.run("Measuring the machine's sgemm peak…") { BLAS.squareSgemmGFLOPS(pool: pool) }
            report("sgemm_peak_gflops", peak!)
        }
        let models = Architectures.all.map { architecture in
            (architecture: architecture, name: architecture.name, prefix: architecture.bench.keyPrefix,
             images: images.prefix(counts[architecture.name] ?? architecture.bench.images))
        }
        for model in models where wants(model.name) {
            let configuration = ModelConfiguration(model.architecture)
            let key = model.prefix + "train"
            report(key + "_images", model.images.count)
            var ours: [Double] = [], runMedians: [Double] = [], theirs: [Double] = []
            for run in 1 ... `repeat` {
                let of = `repeat` > 1 ? ", run \(run) of \(`repeat`)" : ""
                let timed = StatusLine.run("Timing \(model.name) training: a warm-up epoch and \(windows) timed\(of)…") {
                    Measurements.trainingWindows(configuration, model.images, batchSize: TrainingConfiguration.defaultBatchSize, windows: windows, pool: pool)
                }
                ours += timed
                runMedians.append(Distribution(timed).median.rounded())
                if let reference, model.architecture.bench.hasTorchReference {
                    let torchFolder = folder + "/torch-\(model.name)"
                    try FileManager.default.createDirectory(atPath: torchFolder, withIntermediateDirectories: true)
                    let figures = try StatusLine.run("Timing the PyTorch reference's \(model.name) training\(of)…") {
                        try reference.run(arch: model.name, on: model.images, threads: threads, folder: torchFolder)
                    }
                    theirs.append(figures.samplesPerSecond)
                    torchVersion = figures.version
                }
            }
            let speed = Distribution(ours)
            report(key + "_samples_per_sec", speed.median.rounded())
            report(key + "_samples_per_sec_min", speed.minimum.rounded())
            report(key + "_samples_per_sec_max", speed.maximum.rounded())
            report(key + "_spread", speed.spread)
            if `repeat` > 1 { report(key + "_samples_per_sec_runs", runMedians) }
            if wants("explorer") {
                let explorer = Distribution(StatusLine.run("Timing \(model.name) training in the explorer's session…") {
                    Measurements.explorerTrainingWindows(configuration, model.images, batchSize: TrainingConfiguration.defaultBatchSize, windows: windows, pool: pool)
                })
                report("explorer_" + key + "_samples_per_sec", explorer.median.rounded())
                report("explorer_" + key + "_to_train_ratio", explorer.median / speed.median)
            }
            let work = VAEModel(configuration: configuration).network.multiplyAddsPerImage
            let gflops = speed.median * Double(2 * (work.forward + work.backward)) / 1e9
            report(key + "_gflops", gflops)
            if let peak { report(key + "_share_of_sgemm_peak", gflops / peak) }
            if !theirs.isEmpty {
                let torchSpeed = Distribution(theirs)
                report("torch_" + key + "_samples_per_sec", torchSpeed.median.rounded())
                report("torch_" + key + "_samples_per_sec_min", torchSpeed.minimum.rounded())
                report(key + "_speedup_vs_torch", speed.median / torchSpeed.median)
                report(key + "_slowest_vs_torch_median", speed.minimum / torchSpeed.median)
            }
        }
        report("peak_rss_mb", Measurements.peakResidentMegabytes().rounded())

        if wants("decode") {
            for model in models {
                let inference = Inference(model: VAEModel(configuration: ModelConfiguration(model.architecture)))
                let decode = StatusLine.run("Timing \(model.name) decoding…") { Measurements.decodeMicroseconds(inference) }
                report(model.prefix + "decode_us", decode)
                report(model.prefix + "grid_decode_ms", StatusLine.run("Timing a \(gridSide)x\(gridSide) grid decode…") {
                    Measurements.gridDecodeMilliseconds(inference, side: gridSide)
                })
                if let reference, model.architecture.bench.hasTorchReference {
                    let torchFolder = folder + "/torch-\(model.name)"
                    try FileManager.default.createDirectory(atPath: torchFolder, withIntermediateDirectories: true)
                    let figures = try StatusLine.run("Timing the PyTorch reference's \(model.name) decoding…") {
                        try reference.run(arch: model.name, on: model.images.prefix(1_280), threads: threads, folder: torchFolder)
                    }
                    torchVersion = figures.version
                    report("torch_" + model.prefix + "decode_us", figures.decodeMicroseconds)
                    report(model.prefix + "decode_speedup_vs_torch", figures.decodeMicroseconds / decode)
                }
            }
        }
        if wants("frame") {
            for model in models {
                let frame = StatusLine.run("Timing \(model.name) explorer frames…") {
                    Measurements.frameMilliseconds(model: VAEModel(configuration: ModelConfiguration(model.architecture)), width: 120, height: 40)
                }
                report(model.prefix + "frame_ms", frame)
            }
        }
        if wants("loading") {
            for sub in ["csv", "idx"] {
                try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
            }
            report("csv_load_seconds", try StatusLine.run("Timing CSV loading (88,800 letters)…") {
                let csvImages = SyntheticLetters.makeImageSet(count: LabelledDataset.emnistLettersCSVSizes.train, seed: 2)
                return try CLIError.wrap { try Measurements.csvLoadSeconds(csvImages, folder: folder + "/csv") }
            })
            report("idx_load_seconds", try StatusLine.run("Timing IDX loading (124,800 letters)…") {
                let idxImages = SyntheticLetters.makeImageSet(count: LabelledDataset.emnistLettersIDXSizes.train, seed: 3)
                return try CLIError.wrap { try Measurements.idxLoadSeconds(idxImages, folder: folder + "/idx") }
            })
        }
        if let torchVersion { report("torch_version", torchVersion) }

        if !json {
            print(FigureTable.render(figures.map { ($0.0, Self.format($0.1)) }))
        }
        if json {
            var object: [String: Any] = [:]
            for (key, value) in figures { object[key] = value }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    /// The data set's training images when one is named, else synthetic letters.
    private func trainingImages(count: Int) throws -> ImageSet {
        if dataOptions.data != nil || ProcessInfo.processInfo.environment["EMNIST_DIR"] != nil {
            let loaded = try dataOptions.load().train
            return loaded.prefix(count)
        }
        return StatusLine.run("Drawing \(count) synthetic letters…") { SyntheticLetters.makeImageSet(count: count, seed: 1) }
    }

    private static func format(_ value: Any) -> String {
        switch value {
        case let d as Double: return d >= 100 ? String(format: "%.0f", d) : String(format: "%.3f", d)
        case let list as [Double]: return list.map { format($0) }.joined(separator: " ")
        default: return "\(value)"
        }
    }
}
