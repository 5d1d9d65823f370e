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
            Training is timed in rounds (--windows of them, --repeat runs back to back): in each, one timed \
            epoch of every mode on the same images, one after the other: train's (after a warm-up epoch), the \
            explorer's session's (the same) and the PyTorch reference's. Each figure is the median over all \
            windows, with the slowest window, the spread and the CPU time an image beside it; the explorer's \
            ratio is the median of the rounds' pairs, the reference's our median over its median. The \
            machine's own sgemm peak (a 2048³ product on all threads) puts the training FLOP rate in \
            proportion. Every registered architecture is timed (\(Architectures.names)), its figures' keys \
            prefixed as it declares. With --torch (a path, or a name looked up on PATH) and --torch-script, \
            the PyTorch reference is first checked on a few images, then runs in every round of the \
            architectures it has; when it fails, the end of its standard error is shown.
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
    @Option(help: "Rounds per run: one timed epoch of each mode (train, the explorer's session, the reference) in each.") var windows = 5
    @Option(help: "Training runs back to back (each --windows rounds).") var `repeat` = 1
    @Option(help: "Points per side of the explorer grid timed for grid_decode_ms.") var gridSide = 15
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Run only these parts (\(Self.partNames.joined(separator: ", "))).",
                                                          valueName: "part"))
    var only: [String] = []
    @Option(help: ArgumentHelp("A Python with PyTorch, to run the reference beside us (needs --torch-script).", valueName: "python"))
    var torch: String?
    @Option(help: ArgumentHelp("The reference script, run with --arch, --n, --threads and --data.", valueName: "path"))
    var torchScript: String?
    @Flag(help: ArgumentHelp("Instead of the speed figures, time each side's training to the reference's 10-epoch test loss.",
                             discussion: "On --data (an MNIST-format folder such as Fashion-MNIST), for mlp and conv at z = 2 "
                                 + "(--only picks one); needs --torch and the reference's quality script."))
    var toQuality = false
    @Option(help: ArgumentHelp("The reference's quality script for --to-quality (default: vae_torch_quality.py beside --torch-script).",
                               valueName: "path"))
    var torchQualityScript: String?
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
        if toQuality {
            guard torch != nil, dataOptions.data != nil else {
                throw ValidationError("--to-quality needs --torch, --torch-script and --data (an MNIST-format folder such as Fashion-MNIST)")
            }
            if let part = only.first(where: { !QualityRace.kinds.contains($0) }) {
                throw ValidationError("--to-quality --only \(part): the reference's quality script has \(QualityRace.kinds.joined(separator: " "))")
            }
        }
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
        if toQuality { return try raceToQuality() }
        let sitting = try BenchSitting(threads: threads, windows: windows, runs: `repeat`, gridSide: gridSide,
                                       reference: try torch.map { try TorchReference(python: $0, script: torchScript ?? "") })
        try sitting.describeMachine()
        let counts = try imageCounts()
        // Images for the parts that train: each architecture's own, and the reference's decode run.
        let trains = Architectures.all.contains { wants($0.name) } || (wants("decode") && torch != nil)
        let images = try trainingImages(count: trains ? counts.values.max() ?? 0 : 0)
        let models = Architectures.all.map { BenchModel(architecture: $0, images: images.prefix(counts[$0.name] ?? $0.bench.images)) }
        if wants("peak") { sitting.measurePeak() }
        for model in models where wants(model.name) {
            try sitting.measureTraining(model, explorer: wants("explorer"))
        }
        if wants("decode") { for model in models { try sitting.measureDecode(model) } }
        if wants("frame") { for model in models { sitting.measureFrame(model) } }
        if wants("loading") { try sitting.measureLoading() }
        let report = sitting.finish()
        print(json ? try report.json() : report.table())
    }

    /// `--to-quality`: both sides' training to the reference's 10-epoch test loss, in one sitting.
    private func raceToQuality() throws {
        let reference = try TorchReference(python: torch ?? "", script: torchScript ?? "")
        let script = torchQualityScript
            ?? URL(fileURLWithPath: reference.script).deletingLastPathComponent().appendingPathComponent("vae_torch_quality.py").path
        guard FileManager.default.fileExists(atPath: script) else { throw CLIError("--torch-quality-script \(script): no such file") }
        let folder = dataOptions.data ?? ""
        let dataset = try StatusLine.run("Loading \(folder)…") { try CLIError.wrap { try DatasetLoader.load(directory: folder) } }
        var report = BenchReport.machine(threads: threads)
        let race = QualityRace(python: reference.python, script: script, folder: folder)
        try race.run(kinds: only.isEmpty ? QualityRace.kinds : only, dataset: dataset, pool: ComputePool(threadCount: threads),
                     into: &report)
        print(json ? try report.json() : report.table())
    }

    /// The data set's training images when one is named, else synthetic letters.
    private func trainingImages(count: Int) throws -> ImageSet {
        if dataOptions.data != nil || ProcessInfo.processInfo.environment["EMNIST_DIR"] != nil {
            let loaded = try dataOptions.load().train
            return loaded.prefix(count)
        }
        return StatusLine.run("Drawing \(count) synthetic letters…") { SyntheticLetters.makeImageSet(count: count, seed: 1) }
    }
}
