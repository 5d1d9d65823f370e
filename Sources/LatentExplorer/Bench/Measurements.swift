import ExplorerCore
import Foundation
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

    /// Training speed in windows of one epoch each: the real `Trainer` runs one warm-up epoch, then
    /// `windows` timed epochs over `train` (no validation pass). Returns samples/s of each window.
    static func trainingWindows(_ configuration: ModelConfiguration, _ train: ImageSet, batchSize: Int,
                                windows: Int) -> [Double] {
        let dataset = LabelledDataset(name: "bench", train: train, test: train.prefix(0), classNames: [:])
        let trainer = Trainer(model: VAEModel(configuration: configuration, seed: 0), dataset: dataset,
                              configuration: TrainingConfiguration(epochs: windows + 1, batchSize: batchSize,
                                                                   validationFraction: 0, snapshotInterval: 0,
                                                                   progressInterval: 1))
        let outcome = trainer.run()
        return outcome.history.dropFirst().map(\.samplesPerSecond)
    }

    /// The explorer's cursor-move path: one latent point to 784 pixel probabilities.
    static func decodeMicroseconds(_ inference: Inference) -> Double {
        var generator = SeededGenerator(seed: 9)
        let latentDim = inference.configuration.latentDim
        let points = (0 ..< 64).map { _ in (0 ..< latentDim).map { _ in generator.nextGaussian() * 2 } }
        var next = 0
        return median(runs: 2_000) {
            _ = inference.decode(points[next & 63])
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
        return median(runs: 200) { _ = inference.decodeBatch(points) } * 1e3
    }

    /// One full explorer frame at `width` x `height` rendered into the cell buffer (no terminal): the
    /// latent grid (decoded once per view, so a cursor move redraws from the cache), the cursor letter,
    /// the kNN class and the panels.
    static func frameMilliseconds(model: VAEModel, width: Int, height: Int) -> Double {
        let test = SyntheticLetters.makeImageSet(count: 2_600, seed: 1_000_004)
        let view = ModelView(model: model, test: test, reference: SyntheticLetters.makeImageSet(count: 2_600, seed: 77))
        let catalog = ClassCatalog(dataset: LabelledDataset(name: "bench", train: test, test: test,
                                                            classNames: LabelledDataset.letterClassNames))
        var state = ExplorerState(catalog: catalog)
        let renderer = ExplorerRenderer(capabilities: TerminalCapabilities(pixels: .halfBlocks256, colours: true), title: "bench")
        let status = TrainingSession.Status(dataName: "bench")
        var step = 0
        return median(runs: 200) {
            // Alternate right and left so each frame decodes a new cursor letter, as when walking.
            _ = state.apply(step % 2 == 0 ? .right : .left)
            step += 1
            _ = renderer.render(width: width, height: height, state: state, view: view, training: status, message: "")
        } * 1e3
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
