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

    /// `runs` runs of a warm-up epoch and `windows` timed ones, each followed by the reference's epoch
    /// on the same images; then the explorer's session on the same windows when `explorer`.
    func measureTraining(_ model: BenchModel, explorer: Bool) throws {
        let key = model.keyPrefix + "train"
        report.add(key + "_images", model.images.count)
        var ours: [Double] = [], runMedians: [Double] = [], theirs: [Double] = []
        for run in 1 ... runs {
            let of = runs > 1 ? ", run \(run) of \(runs)" : ""
            let timed = StatusLine.run("Timing \(model.name) training: a warm-up epoch and \(windows) timed\(of)…") {
                Measurements.trainingWindows(model.configuration, model.images, batchSize: TrainingConfiguration.defaultBatchSize,
                                             windows: windows, pool: pool)
            }
            ours += timed
            runMedians.append(Distribution(timed).median.rounded())
            if let figures = try torchRun(model, images: model.images, what: "training\(of)") {
                theirs.append(figures.samplesPerSecond)
                torchDecode[model.name] = figures.decodeMicroseconds
            }
        }
        let speed = Distribution(ours)
        reportSpeed(speed, key: key)
        if runs > 1 { report.add(key + "_samples_per_sec_runs", .numbers(runMedians)) }
        let work = VAEModel(configuration: model.configuration).network.multiplyAddsPerImage
        let gflops = speed.median * Double(2 * (work.forward + work.backward)) / 1e9
        report.add(key + "_gflops", gflops)
        if let peak { report.add(key + "_share_of_sgemm_peak", gflops / peak) }
        if !theirs.isEmpty {
            let torchSpeed = Distribution(theirs)
            report.add("torch_" + key + "_samples_per_sec", torchSpeed.median.rounded())
            report.add("torch_" + key + "_samples_per_sec_min", torchSpeed.minimum.rounded())
            report.add(key + "_speedup_vs_torch", speed.median / torchSpeed.median)
            report.add(key + "_slowest_vs_torch_median", speed.minimum / torchSpeed.median)
        }
        if explorer { measureExplorerTraining(model, against: speed.median) }
    }

    private func reportSpeed(_ speed: Distribution, key: String) {
        report.add(key + "_samples_per_sec", speed.median.rounded())
        report.add(key + "_samples_per_sec_min", speed.minimum.rounded())
        report.add(key + "_samples_per_sec_max", speed.maximum.rounded())
        report.add(key + "_spread", speed.spread)
    }

    private func measureExplorerTraining(_ model: BenchModel, against train: Double) {
        let timed = StatusLine.run("Timing \(model.name) training in the explorer's session…") {
            Measurements.explorerTrainingWindows(model.configuration, model.images, batchSize: TrainingConfiguration.defaultBatchSize,
                                                 windows: windows, pool: pool)
        }
        guard !timed.isEmpty else {
            return FileHandle.printError("\(model.name) training in the explorer's session ended before its first timed epoch; its figures are left out")
        }
        let explorer = Distribution(timed)
        report.add("explorer_" + model.keyPrefix + "train_samples_per_sec", explorer.median.rounded())
        report.add("explorer_" + model.keyPrefix + "train_to_train_ratio", explorer.median / train)
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
