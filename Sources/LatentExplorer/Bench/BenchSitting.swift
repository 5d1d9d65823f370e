import ExplorerCore
import Foundation
import LetterData
import Support
import VAE

/// One architecture as `bench` times it: its training images and the prefix of its keys.
struct BenchModel {
    let architecture: any VAEArchitecture.Type
    let images: ImageSet

    var name: String { architecture.name }
    /// `<kind>_`, the kind's dashes as underscores: `mlp_train_samples_per_sec`, `deep_mlp_decode_us`.
    var keyPrefix: String { name.replacingOccurrences(of: "-", with: "_") + "_" }
    var configuration: ModelConfiguration { ModelConfiguration(architecture) }
}

/// Everything one `bench` sitting shares, and its parts: each measures on the product's own code path
/// and adds its figures to `report`. The PyTorch reference, when given, runs right after our side of
/// each figure, so that every ratio compares two measurements of the same minutes.
final class BenchSitting {
    let pool: ComputePool
    let threads: Int, windows: Int, runs: Int, gridSide: Int
    let reference: TorchReference?
    /// A private scratch folder (the reference's copies of the images, the loading tests' files).
    let folder: String
    private(set) var report = BenchReport()
    private var peak: Double?
    /// The reference's single-point decode, from its training runs (each also times decoding).
    private var torchDecode: [String: Double] = [:]
    private var torchVersion: String?

    init(threads: Int, windows: Int, runs: Int, gridSide: Int, reference: TorchReference?) throws {
        (self.threads, self.windows, self.runs, self.gridSide, self.reference) = (threads, windows, runs, gridSide, reference)
        pool = ComputePool(threadCount: threads)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-explorer-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    /// What runs the figures: the CPU, our kernel copy (`lx_kernel_path`), OpenBLAS's core, the threads.
    /// Also checks the reference on a few images, so that a missing PyTorch fails before minutes of timing.
    func describeMachine() throws {
        report = BenchReport.machine(threads: threads)
        guard let reference else { return }
        torchVersion = try StatusLine.run("Checking the PyTorch reference (\(reference.python))…") {
            let few = SyntheticLetters.makeImageSet(count: TorchReference.checkImages, seed: 1)
            return try reference.check(on: few, threads: threads, folder: folder + "/torch-check")
        }
    }

    func measurePeak() {
        let gflops = StatusLine.run("Measuring the machine's sgemm peak…") { BLAS.squareSgemmGFLOPS(pool: pool) }
        peak = gflops
        report.add("sgemm_peak_gflops", gflops)
    }

    /// `runs` runs of `windows` rounds each. A round is one timed epoch of each mode on the same images,
    /// one right after the other: our training (a warm-up epoch, then the timed one), the explorer's
    /// session when `explorer` (the same), and the reference's epoch. The explorer goes first in every
    /// second round, so that neither mode always runs in the other's wake. The modes alternate window by
    /// window, so a host whose speed drifts over minutes moves them alike: the explorer's ratio is the
    /// median of each round's pair, and against the reference it is our median over theirs, both
    /// sides timed in the same number of windows.
    func measureTraining(_ model: BenchModel, explorer: Bool) throws {
        report.add(model.keyPrefix + "train_images", model.images.count)
        let data = explorer ? StatusLine.run("Drawing the explorer's letters…") { Measurements.explorerData() } : nil
        var rounds: [Round] = [], runMedians: [Double] = []
        for run in 1 ... runs {
            let of = runs > 1 ? " of run \(run) of \(runs)" : ""
            var thisRun: [Round] = []
            for window in 1 ... windows {
                thisRun.append(try measureRound(model, data: data, explorerFirst: window % 2 == 0,
                                                what: "window \(window) of \(windows)\(of)"))
            }
            runMedians.append(Distribution(thisRun.map(\.train.speed)).median.rounded())
            rounds += thisRun
        }
        reportTraining(model, rounds, runMedians: runMedians)
        if explorer { reportExplorer(model, rounds) }
    }

    /// One timed epoch of a mode: its samples/s and the process's CPU microseconds an image.
    private struct Window {
        var speed: Double
        var cpu: Double
        /// The explorer's session only: its UI's and decoder's own work.
        var explorerWork: Measurements.ExplorerWork?

        /// The one timed window of `timing`; nil when the run ended before it (a diverged loss).
        init?(_ timing: Measurements.TrainingTiming) {
            guard let speed = timing.samplesPerSecond.first else { return nil }
            (self.speed, cpu, explorerWork) = (speed, timing.cpuMicrosecondsPerImage, timing.explorerWork)
        }
    }

    /// One round's windows: ours, the explorer's (nil when not timed) and the reference's samples/s
    /// (nil without a reference).
    private struct Round {
        var train: Window
        var explorer: Window?
        var torch: Double?
    }

    /// One round: our training, the explorer's session (when `data` is given, first when `explorerFirst`)
    /// and the reference's epoch. An explorer session that ends before its timed epoch is left out of
    /// the pairs with a one-line note; our own training doing so is an error.
    private func measureRound(_ model: BenchModel, data: ExplorerData?, explorerFirst: Bool, what: String) throws -> Round {
        let explorerWindow = { () -> Window? in
            guard let data else { return nil }
            let timing = StatusLine.run("Timing \(model.name) training in the explorer's session, \(what)…") {
                Measurements.explorerTrainingWindows(model.configuration, model.images, batchSize: TrainingConfiguration.defaultBatchSize,
                                                     windows: 1, data: data, pool: self.pool)
            }
            guard let window = Window(timing) else {
                FileHandle.printError("\(model.name) training in the explorer's session ended before its timed epoch (\(what)); the pair is left out")
                return nil
            }
            return window
        }
        let early = explorerFirst ? explorerWindow() : nil
        let timing = StatusLine.run("Timing \(model.name) training, \(what): a warm-up epoch and a timed one…") {
            Measurements.trainingWindows(model.configuration, model.images, batchSize: TrainingConfiguration.defaultBatchSize,
                                         windows: 1, pool: pool)
        }
        guard let train = Window(timing) else { throw CLIError("\(model.name) training ended before its timed epoch") }
        var round = Round(train: train, explorer: explorerFirst ? early : explorerWindow())
        if let figures = try torchRun(model, images: model.images, what: "training, \(what)") {
            round.torch = figures.samplesPerSecond
            torchDecode[model.name] = figures.decodeMicroseconds
        }
        return round
    }

    /// Our training figures, their FLOP rate, and the reference's beside them.
    private func reportTraining(_ model: BenchModel, _ rounds: [Round], runMedians: [Double]) {
        let key = model.keyPrefix + "train"
        let speed = Distribution(rounds.map(\.train.speed))
        report.add(key + "_windows", rounds.count)
        reportSpeed(speed, key: key)
        if runs > 1 { report.add(key + "_samples_per_sec_runs", .numbers(runMedians)) }
        report.add(key + "_cpu_us_per_image", Distribution(rounds.map(\.train.cpu)).median)
        let work = VAEModel(configuration: model.configuration).network.multiplyAddsPerImage
        let gflops = speed.median * Double(2 * (work.forward + work.backward)) / 1e9
        report.add(key + "_gflops", gflops)
        if let peak { report.add(key + "_share_of_sgemm_peak", gflops / peak) }
        let theirs = rounds.compactMap(\.torch)
        guard !theirs.isEmpty else { return }
        let torchSpeed = Distribution(theirs)
        report.add("torch_" + key + "_windows", theirs.count)
        report.add("torch_" + key + "_samples_per_sec", torchSpeed.median.rounded())
        report.add("torch_" + key + "_samples_per_sec_min", torchSpeed.minimum.rounded())
        report.add("torch_" + key + "_spread", torchSpeed.spread)
        report.add(key + "_speedup_vs_torch", speed.median / torchSpeed.median)
        report.add(key + "_slowest_vs_torch_median", speed.minimum / torchSpeed.median)
    }

    private func reportSpeed(_ speed: Distribution, key: String) {
        report.add(key + "_samples_per_sec", speed.median.rounded())
        report.add(key + "_samples_per_sec_min", speed.minimum.rounded())
        report.add(key + "_samples_per_sec_max", speed.maximum.rounded())
        report.add(key + "_spread", speed.spread)
    }

    /// The explorer's session against our training, pair by pair: the median and the lowest of the
    /// rounds' speed ratios, and of their CPU time an image.
    private func reportExplorer(_ model: BenchModel, _ rounds: [Round]) {
        let pairs = rounds.compactMap { round in round.explorer.map { (train: round.train, explorer: $0) } }
        guard !pairs.isEmpty else { return }
        let key = "explorer_" + model.keyPrefix + "train"
        report.add(key + "_samples_per_sec", Distribution(pairs.map(\.explorer.speed)).median.rounded())
        let ratios = Distribution(pairs.map { $0.explorer.speed / $0.train.speed })
        report.add(key + "_to_train_ratio", ratios.median)
        report.add(key + "_to_train_ratio_min", ratios.minimum)
        report.add(key + "_cpu_us_per_image", Distribution(pairs.map(\.explorer.cpu)).median)
        report.add(key + "_cpu_to_train_ratio", Distribution(pairs.map { $0.explorer.cpu / $0.train.cpu }).median)
        let work = pairs.compactMap(\.explorer.explorerWork)
        guard !work.isEmpty else { return }
        report.add(key + "_ui_cpu_ms_per_s", Distribution(work.map(\.uiMilliseconds)).median)
        report.add(key + "_decoder_cpu_ms_per_s", Distribution(work.map(\.decoderMilliseconds)).median)
        report.add(key + "_letters_decoded_per_s", Distribution(work.map(\.lettersDecoded)).median)
    }

    /// One latent point and the explorer's grid, beside the reference's single-point decode (from its
    /// training run of this sitting, or from a short run of its own when training was not timed).
    func measureDecode(_ model: BenchModel) throws {
        let inference = Inference(model: VAEModel(configuration: model.configuration))
        let decode = StatusLine.run("Timing \(model.name) decoding…") { Measurements.decodeMicroseconds(inference) }
        report.add(model.keyPrefix + "decode_us", decode)
        report.add(model.keyPrefix + "grid_decode_ms", StatusLine.run("Timing a \(gridSide)x\(gridSide) grid decode…") {
            Measurements.gridDecodeMilliseconds(inference, side: gridSide)
        })
        if torchDecode[model.name] == nil,
           let figures = try torchRun(model, images: model.images.prefix(TorchReference.decodeRunImages), what: "decoding") {
            torchDecode[model.name] = figures.decodeMicroseconds
        }
        guard let theirs = torchDecode[model.name] else { return }
        report.add("torch_" + model.keyPrefix + "decode_us", theirs)
        report.add(model.keyPrefix + "decode_speedup_vs_torch", theirs / decode)
    }

    func measureFrame(_ model: BenchModel) {
        report.add(model.keyPrefix + "frame_ms", StatusLine.run("Timing \(model.name) explorer frames…") {
            Measurements.frameMilliseconds(model: VAEModel(configuration: model.configuration), width: 120, height: 40)
        })
    }

    func measureLoading() throws {
        for sub in ["csv", "idx"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
        }
        report.add("csv_load_seconds", try StatusLine.run("Timing CSV loading (88,800 letters)…") {
            let images = SyntheticLetters.makeImageSet(count: LabelledDataset.emnistLettersCSVSizes.train, seed: 2)
            return try CLIError.wrap { try Measurements.csvLoadSeconds(images, folder: folder + "/csv") }
        })
        report.add("idx_load_seconds", try StatusLine.run("Timing IDX loading (124,800 letters)…") {
            let images = SyntheticLetters.makeImageSet(count: LabelledDataset.emnistLettersIDXSizes.train, seed: 3)
            return try CLIError.wrap { try Measurements.idxLoadSeconds(images, folder: folder + "/idx") }
        })
    }

    /// The figures every sitting ends with: peak memory and the reference's version.
    func finish() -> BenchReport {
        report.add("peak_rss_mb", Measurements.peakResidentMegabytes().rounded())
        if let torchVersion { report.add("torch_version", torchVersion) }
        return report
    }

    /// The reference's run of `model` on `images`, or nil when there is no reference or it lacks the architecture.
    private func torchRun(_ model: BenchModel, images: ImageSet, what: String) throws -> TorchReference.Figures? {
        guard let reference, model.architecture.bench.hasTorchReference else { return nil }
        let torchFolder = folder + "/torch-\(model.name)"
        try FileManager.default.createDirectory(atPath: torchFolder, withIntermediateDirectories: true)
        let figures = try StatusLine.run("Timing the PyTorch reference's \(model.name) \(what)…") {
            try reference.run(arch: model.name, on: images, threads: threads, folder: torchFolder)
        }
        torchVersion = figures.version
        return figures
    }
}
