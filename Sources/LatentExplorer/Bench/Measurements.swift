import ExplorerCore
import Foundation
import LetterData
import Support
import VAE

/// The figures `latent-explorer bench` measures, each on the code path the product uses.
enum Measurements {
    /// Median of `runs` timings of `body`, in seconds.
    static func median(runs: Int, _ body: () -> Void) -> Double {
        var times: [Double] = []
        times.reserveCapacity(runs)
        for _ in 0 ..< runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        return times.sorted()[times.count / 2]
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }

    /// Training windows' speeds and what they cost the process in CPU time.
    struct TrainingTiming {
        /// Samples/s of each timed epoch.
        var samplesPerSecond: [Double]
        /// The process's CPU time (user and system, all threads) over the whole run, warm-up included,
        /// divided by the images trained: a measure of cost that another process on the cores does not
        /// move the way it moves wall-clock speed.
        var cpuMicrosecondsPerImage: Double
        /// The explorer's session only: what its own threads (the UI loop and the background decoder)
        /// cost while training ran, and the letters the decoder drew.
        var explorerWork: ExplorerWork? = nil
    }

    /// The explorer's own work beside its training, per second of the session.
    struct ExplorerWork {
        /// CPU milliseconds a second of the UI thread (polling, snapshots, frames) and of the decode worker.
        var uiMilliseconds: Double
        var decoderMilliseconds: Double
        /// Letters the decode worker decoded a second (the grid, after each snapshot or view change).
        var lettersDecoded: Double
    }

    /// Training speed in windows of one epoch each: the real `Trainer` runs one warm-up epoch, then
    /// `windows` timed epochs over `train` (no validation pass), on `pool`.
    static func trainingWindows(_ configuration: ModelConfiguration, _ train: ImageSet, batchSize: Int,
                                windows: Int, pool: ComputePool) -> TrainingTiming {
        let dataset = LabelledDataset(name: "bench", train: train, test: train.prefix(0), classNames: LabelledDataset.letterClassNames)
        let trainer = Trainer(model: benchModel(configuration, on: dataset), dataset: dataset,
                              configuration: TrainingConfiguration(epochs: windows + 1, batchSize: batchSize,
                                                                   validationFraction: 0, snapshotInterval: 0,
                                                                   progressInterval: 1),
                              pool: pool)
        let cpuStart = processCPUSeconds()
        let outcome = trainer.run()
        return TrainingTiming(samplesPerSecond: outcome.history.dropFirst().map(\.samplesPerSecond),
                              cpuMicrosecondsPerImage: (processCPUSeconds() - cpuStart) * 1e6 / Double(train.count * (windows + 1)))
    }

    /// User and system CPU seconds of this process so far, all threads.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) * 1e-6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// A new model of `configuration` for `dataset`: a conditional model is conditioned on the images'
    /// own labels, named as the data set names them.
    static func benchModel(_ configuration: ModelConfiguration, on dataset: LabelledDataset) -> VAEModel {
        guard configuration.isConditional else { return VAEModel(configuration: configuration, seed: 0) }
        var configuration = configuration
        let labels = dataset.labelsPresent
        configuration.settings[ArchitectureSetting.classCountKey] = [labels.count]
        return VAEModel(configuration: configuration, seed: 0, classNames: labels.map(dataset.className))
    }

    /// The explorer's cursor-move path: one latent point to 784 pixel probabilities.
    static func decodeMicroseconds(_ inference: Inference) -> Double {
        var generator = SeededGenerator(seed: 9)
        let latentDim = inference.configuration.latentDim
        let points = (0 ..< 64).map { _ in (0 ..< latentDim).map { _ in generator.nextGaussian() * 2 } }
        var next = 0
        // A conditional model's style plane decodes one letter everywhere: class 0 stands for any.
        let letter: Int32? = inference.model.isConditional ? 0 : nil
        return median(runs: 2_000) {
            _ = inference.decode(points[next & 63], class: letter)
            next += 1
        } * 1e6
    }

    /// The explorer's whole visible grid (`side` x `side` points), decoded in one batch.
    static func gridDecodeMilliseconds(_ inference: Inference, side: Int) -> Double {
        var points: [Float] = []
        for row in 0 ..< side {
            for column in 0 ..< side {
                points += [Float(column) / Float(side) * 6 - 3, 3 - Float(row) / Float(side) * 6]
            }
        }
        let classes: [Int32]? = inference.model.isConditional ? [Int32](repeating: 0, count: side * side) : nil
        return median(runs: 200) { _ = inference.decodeBatch(points, classes: classes) } * 1e3
    }

    /// The explorer's letters as it shows them on the synthetic data: 2,600 test letters and the
    /// reference letters of the nearest-class vote.
    static func explorerData() -> ExplorerData {
        ExplorerData(test: SyntheticLetters.makeImageSet(count: 2_600, seed: ExplorerData.syntheticTestSeed),
                     reference: SyntheticLetters.makeImageSet(count: ExplorerData.syntheticReferenceCount,
                                                              seed: ExplorerData.syntheticReferenceSeed),
                     classNames: LabelledDataset.letterClassNames, name: "bench")
    }

    /// One full explorer frame at `width` x `height` rendered into the cell buffer (no terminal): the
    /// latent grid (decoded once per view, so a cursor move redraws from the cache), the cursor letter,
    /// the kNN class, the nearest test letter and the panels.
    static func frameMilliseconds(model: VAEModel, width: Int, height: Int) -> Double {
        let data = explorerData()
        let view = ModelView(model: model, test: data.test, reference: data.reference)
        let controller = ExplorerController(view: view, catalog: data.catalog)
        let renderer = ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .halfBlocks256, colours: true), title: "bench")
        let status = TrainingSession.Status(dataName: "bench")
        _ = controller.handle(.resize(width: width, height: height))
        var step = 0
        return median(runs: 200) {
            // Alternate right and left so each frame decodes a new cursor letter, as when walking.
            _ = controller.handle(.key(step % 2 == 0 ? .right : .left))
            step += 1
            _ = controller.render(renderer, width: width, height: height, training: status)
        } * 1e3
    }

    /// Training driven the way the explorer drives it, in the same windows as `trainingWindows`: `t`
    /// starts a `TrainingSession` on a copy of the model; every 50 ms (the explorer's key-read timeout
    /// while training) the session is polled, a snapshot with its codes is taken into the view, and a
    /// 120x40 frame of `data`'s letters is rendered. Training runs on `pool`. The CPU time counts the
    /// UI loop's as well as training's.
    static func explorerTrainingWindows(_ configuration: ModelConfiguration, _ train: ImageSet, batchSize: Int,
                                        windows: Int, data: ExplorerData, pool: ComputePool) -> TrainingTiming {
        let dataset = LabelledDataset(name: "bench", train: train, test: train.prefix(0), classNames: LabelledDataset.letterClassNames)
        let view = ModelView(model: benchModel(configuration, on: dataset), test: data.test, reference: data.reference,
                             decodesInBackground: true)
        let controller = ExplorerController(view: view, catalog: data.catalog)
        let renderer = ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .halfBlocks256, colours: true), title: "bench")
        let session = TrainingSession(dataName: "bench",
                                      configuration: TrainingConfiguration(epochs: windows + 1, batchSize: batchSize,
                                                                           validationFraction: 0, snapshotInterval: 1.0),
                                      codeImages: data.codeImages, pool: pool) { dataset }
        _ = controller.handle(.resize(width: 120, height: 40))
        let cpuStart = processCPUSeconds()
        let (wallStart, uiStart) = (DispatchTime.now().uptimeNanoseconds, ThreadCPUClock.nanoseconds())
        session.toggle(model: view.model)
        var step = 0
        while true {
            if let snapshot = session.poll(), let model = try? snapshot.makeModel() {
                view.replaceModel(model, codes: snapshot.codes)
                if snapshot.codes != nil { controller.codesRefreshed() }
            }
            if case .finished = session.status.phase { break }
            _ = view.takeFreshDecodes()
            _ = controller.handle(.key(step % 2 == 0 ? .right : .left))
            step += 1
            _ = controller.render(renderer, width: 120, height: 40, training: session.status)
            Thread.sleep(forTimeInterval: 0.05)
        }
        let uiNanoseconds = ThreadCPUClock.nanoseconds() - uiStart
        let wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - wallStart) * 1e-9
        session.stopAndWait()
        view.waitForDecodes()
        let decoder = view.backgroundDecodeWork
        let epochs = session.status.epochs
        return TrainingTiming(samplesPerSecond: epochs.dropFirst().map(\.samplesPerSecond),
                              cpuMicrosecondsPerImage: (processCPUSeconds() - cpuStart) * 1e6 / Double(max(train.count * epochs.count, 1)),
                              explorerWork: ExplorerWork(uiMilliseconds: Double(uiNanoseconds) * 1e-6 / wallSeconds,
                                                         decoderMilliseconds: Double(decoder.cpuNanoseconds) * 1e-6 / wallSeconds,
                                                         lettersDecoded: Double(decoder.letters) / wallSeconds))
    }

    /// Peak resident memory of this process so far, in MiB.
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024   // Linux reports KiB
    }

    /// Seconds to load a folder holding an EMNIST-style CSV of `images` (and a tiny test CSV).
    static func csvLoadSeconds(_ images: ImageSet, folder: String) throws -> Double {
        try DatasetWriter.writeCSV(images, path: folder + "/emnist-letters-train.csv")
        try DatasetWriter.writeCSV(images.prefix(10), path: folder + "/emnist-letters-test.csv")
        return try seconds { _ = try DatasetLoader.load(directory: folder) }
    }

    /// Seconds to load a folder holding gzip IDX files of `images` (and a tiny test split).
    static func idxLoadSeconds(_ images: ImageSet, folder: String) throws -> Double {
        for (split, set) in [("train", images), ("test", images.prefix(10))] {
            try DatasetWriter.writeIDX(set, imagesPath: folder + "/emnist-letters-\(split)-images-idx3-ubyte.gz",
                                       labelsPath: folder + "/emnist-letters-\(split)-labels-idx1-ubyte.gz",
                                       gzip: true, transposed: true)
        }
        return try seconds { _ = try DatasetLoader.load(directory: folder) }
    }
}
