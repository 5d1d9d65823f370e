import ArgumentParser
import Foundation
import VAE

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training, decoding, drawing and loading speed, and peak memory.",
        discussion: """
            Trains the MLP VAE (784-512-2-512-784, batch 128, Adam) for one 88,800-image epoch after a \
            warm-up epoch, times the explorer's decode and frame paths (medians), loads an 88,800-image CSV \
            and a 124,800-image gzip IDX written to a temporary folder, and reports peak memory. With \
            --torch, runs the PyTorch reference on the same images in the same sitting and prints the ratios.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Threads for OpenBLAS (and for the reference).") var threads = 2
    @Option(help: "Training images (taken from the data set, or generated).") var trainImages = 88_800
    @Option(help: "Points per side of the explorer grid timed for grid_decode_ms.") var gridSide = 15
    @Option(help: ArgumentHelp("A Python with PyTorch, to run the reference beside us.", valueName: "python")) var torch: String?
    @Option(help: ArgumentHelp("The reference script.", valueName: "path")) var torchScript = "../shared/bench/vae_torch.py"
    @Flag(help: "Print one JSON object instead of one line per figure.") var json = false

    func validate() throws {
        guard threads > 0 else { throw ValidationError("--threads must be at least 1") }
        guard trainImages >= 128 else { throw ValidationError("--train-images must be at least 128") }
        guard gridSide > 0 else { throw ValidationError("--grid-side must be at least 1") }
    }

    func run() throws {
        BLAS.threadCount = threads
        var figures: [(String, Any)] = [("blas_core", BLASKernelSelection.coreName), ("threads", threads)]
        func report(_ key: String, _ value: Any) {
            figures.append((key, value))
            if !json { print("\(key) \(Self.format(value))"); fflush(stdout) }
        }
        if !json { print("blas_core \(BLASKernelSelection.coreName)\nthreads \(threads)") }

        let train: ImageSet
        if dataOptions.data != nil || ProcessInfo.processInfo.environment["EMNIST_DIR"] != nil {
            let loaded = try dataOptions.load().train
            train = loaded.count >= trainImages ? loaded.prefix(trainImages) : loaded
        } else {
            train = SyntheticLetters.makeImageSet(count: trainImages, seed: 1)
        }
        report("train_images", train.count)
        let speed = Measurements.training(train, batchSize: 128)
        report("train_samples_per_sec", speed.samplesPerSecond.rounded())
        report("train_epoch_seconds", speed.epochSeconds)
        report("peak_rss_mb", Measurements.peakResidentMegabytes().rounded())
        report("conv_train_samples_per_sec", NSNull())

        let inference = Inference(model: VAEModel(seed: 0))
        let decode = Measurements.decodeMicroseconds(inference)
        report("decode_us", decode)
        report("grid_decode_ms", Measurements.gridDecodeMilliseconds(inference, side: gridSide))
        report("frame_ms", Measurements.frameMilliseconds(model: VAEModel(seed: 0), width: 120, height: 40))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("latent-explorer-bench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for sub in ["csv", "idx", "torch"] {
            try FileManager.default.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
        }
        let csvImages = SyntheticLetters.makeImageSet(count: 88_800, seed: 2)
        report("csv_load_seconds", try CLIError.wrap { try Measurements.csvLoadSeconds(csvImages, folder: folder + "/csv") })
        let idxImages = SyntheticLetters.makeImageSet(count: 124_800, seed: 3)
        report("idx_load_seconds", try CLIError.wrap { try Measurements.idxLoadSeconds(idxImages, folder: folder + "/idx") })

        if let torch {
            let reference = try TorchReference(python: torch, script: torchScript)
                .run(on: train, threads: threads, folder: folder + "/torch")
            report("torch_version", reference.version)
            report("torch_train_samples_per_sec", reference.samplesPerSecond.rounded())
            report("torch_decode_us", reference.decodeMicroseconds)
            report("train_speedup_vs_torch", speed.samplesPerSecond / reference.samplesPerSecond)
            report("decode_speedup_vs_torch", reference.decodeMicroseconds / decode)
        }

        if json {
            var object: [String: Any] = [:]
            for (key, value) in figures { object[key] = value }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    private static func format(_ value: Any) -> String {
        switch value {
        case let d as Double: return d >= 100 ? String(format: "%.0f", d) : String(format: "%.3f", d)
        case is NSNull: return "n/a (no convolutional model yet)"
        default: return "\(value)"
        }
    }
}
