import LetterData
import VAE

/// The UI thread's own copy of the model and everything derived from it: decoded letters, the latent
/// codes of the test letters with their principal components, and the kNN over reference (training)
/// codes. Training runs on another copy; snapshots replace this one (`replaceModel`).
///
/// This is the explorer's only door to the model: it uses `Inference` (BLAS-free decoding, encoding
/// of whole sets) and reads the latent size in one place (`latentDim`).
public final class ModelView {
    public private(set) var model: VAEModel
    private(set) var inference: Inference
    public let test: ImageSet
    /// Where each shown test letter sits in the data set's test split (for `interpolate --from 1234`).
    public let testSourceIndices: [Int]
    public let reference: ImageSet
    /// Whether the test images are real handwriting (a data set folder) rather than generated or mixed:
    /// the side pane says "nearest real" only then.
    public let testImagesAreReal: Bool
    /// Bumped whenever the weights change, so caches of decoded letters know they are stale.
    public private(set) var version = 0

    /// Latent means of the test letters, `[test.count, latentDim]` row-major.
    public private(set) var testCodes: [Float] = []
    /// Principal components of `testCodes` (nil for a 1-D space or no letters).
    public private(set) var principalComponents: PrincipalComponents?
    /// Standard deviation of the test codes along each latent dimension: how much the encoder uses it.
    public private(set) var codeSpread: [Float] = []
    /// Bumped whenever the codes are re-encoded.
    public private(set) var codesVersion = 0
    private var classifier: NearestNeighbours?
    private var decodeCaches: [DecodeSlot: (key: [Float], classes: [Int32]?, version: Int, pixels: [Float])] = [:]
    /// Decodes batches off the UI thread when the view was made with `decodesInBackground`.
    private let worker: DecodeWorker?
    private var projectionCache: (plane: LatentPlane, codesVersion: Int, points: [Float])?
    private var centresCache: (codesVersion: Int, centres: ClassCentres)?
    // The side pane's answers for the last point asked about.
    private var lastDecode: (point: [Float], letter: Int32?, version: Int, pixels: [Float])?
    private var lastVote: (point: [Float], codesVersion: Int, vote: (label: Int, votes: Int, of: Int)?)?
    private var lastNearest: (point: [Float], codesVersion: Int, hit: (index: Int, distance: Float)?)?
    /// Draw mode's last reading, and the reader over the test codes it came from (`ModelView+Drawing`).
    var drawingCache: (strokes: [[CanvasPoint]], version: Int, codesVersion: Int, reading: DrawingReading?)?
    var readerCache: (version: Int, codesVersion: Int, reader: LetterReader)?

    /// The users of cached batch decodes: each keeps its newest batch.
    public enum DecodeSlot: Hashable, Sendable { case grid, strip, traversal, word, alphabet }

    /// A conditional model's class index of each test and reference letter (nil for an unconditional
    /// model): its codes are those of q(z | x, y), each letter encoded with its own label.
    private let testClasses: [Int32]?
    private let referenceClasses: [Int32]?

    /// `reference` are labelled images whose codes the nearest-class kNN votes with. With
    /// `decodesInBackground`, batches (grid, strip, traversal) are decoded on a worker thread and
    /// `decodeBatch` answers at once with what it has (see there); otherwise it decodes before answering.
    ///
    /// `classNames` name the letters' labels: a conditional model's classes are matched to them by name
    /// (`ClassMap`), so it must have a class for every label (check with `ClassMap` first: a model
    /// lacking one is a programming error here).
    public init(model: VAEModel, test: ImageSet, reference: ImageSet, testSourceIndices: [Int]? = nil,
                testImagesAreReal: Bool = false, decodesInBackground: Bool = false,
                classNames: [Int: String] = LabelledDataset.letterClassNames) {
        precondition(testSourceIndices.map { $0.count == test.count } ?? true, "one source index per test image")
        let letters = LabelledDataset(name: "explorer", train: reference, test: test, classNames: classNames)
        let map: ClassMap
        do { map = try ClassMap(model: model, dataset: letters) } catch { preconditionFailure("\(error)") }
        testClasses = map.indices(of: test)
        referenceClasses = map.indices(of: reference)
        worker = decodesInBackground ? DecodeWorker() : nil
        self.model = model
        inference = Inference(model: model)
        self.test = test
        self.reference = reference
        self.testImagesAreReal = testImagesAreReal
        self.testSourceIndices = testSourceIndices ?? Array(0 ..< test.count)
        refreshCodes()
    }

    /// The size of the latent space: read here and nowhere else in the explorer.
    public var latentDim: Int { model.latentDim }

    /// Whether the model is conditioned on the letter (its plane holds the style), and its classes.
    public var isConditional: Bool { model.isConditional }
    public var classNames: [String] { model.classNames }

    /// The class index of test letter `index` for a conditional model (nil for an unconditional one).
    public func testClass(_ index: Int) -> Int32? { testClasses?[index] }

    /// Takes new weights (a training snapshot). Codes are re-encoded only when asked, as that is the
    /// costly part (`refreshCodes`).
    public func replaceModel(_ newModel: VAEModel) {
        model = newModel
        inference = Inference(model: newModel)
        version += 1
    }

    /// Takes a training snapshot's weights and, when it carries them, the codes the trainer encoded for
    /// the test letters followed by the reference letters (`ExplorerData.codeImages`): the view then
    /// needs no encoding of its own, so the UI thread runs no encoder beside training.
    public func replaceModel(_ newModel: VAEModel, codes: [Float]?) {
        replaceModel(newModel)
        guard let codes, codes.count == (test.count + reference.count) * latentDim else { return }
        let split = test.count * latentDim
        adoptCodes(test: Array(codes[..<split]), reference: Array(codes[split...]))
    }

    /// Re-encodes the test and reference letters with the current weights, and finds the principal
    /// components and the spread of the new codes.
    public func refreshCodes() {
        adoptCodes(test: inference.encodeMeans(test, classes: testClasses),
                   reference: inference.encodeMeans(reference, classes: referenceClasses))
    }

    private func adoptCodes(test testCodes: [Float], reference referenceCodes: [Float]) {
        self.testCodes = testCodes
        classifier = NearestNeighbours(codes: referenceCodes, labels: reference.labels, dimension: latentDim)
        principalComponents = latentDim >= 2 && test.count > 0 ? PrincipalComponents(codes: testCodes, dimension: latentDim) : nil
        codeSpread = Self.spread(testCodes, dimension: latentDim)
        codesVersion += 1
    }

    /// The plane of the first two principal components through the codes' mean, with each one's share
    /// of the variance.
    public var principalPlane: LatentPlane? {
        guard let pca = principalComponents, pca.components.count >= 2 else { return nil }
        return LatentPlane(origin: pca.mean, xAxis: pca.components[0], yAxis: pca.components[1], xLabel: "PC1", yLabel: "PC2",
                           explainedVariance: (pca.explainedVarianceRatios[0], pca.explainedVarianceRatios[1]))
    }

    /// Latent dimensions from the most used by the encoder (largest spread of test codes) to the least.
    public var dimensionsBySpread: [Int] {
        (0 ..< latentDim).sorted { spread($0) > spread($1) || (spread($0) == spread($1) && $0 < $1) }
    }

    public func spread(_ dimension: Int) -> Float { codeSpread.indices.contains(dimension) ? codeSpread[dimension] : 0 }

    /// 784 pixel probabilities at a latent point (of class `letter` for a conditional model, which
    /// needs one). The last answer is kept: frames redrawn for training progress ask again for the same point.
    public func decode(_ point: [Float], letter: Int32? = nil) -> [Float] {
        let letter = conditioning(letter)
        if let last = lastDecode, last.version == version, last.point == point, last.letter == letter { return last.pixels }
        let pixels = inference.decode(point, class: letter)
        lastDecode = (point, letter, version, pixels)
        return pixels
    }

    /// The class to decode with: `letter` for a conditional model (the first class when none is given),
    /// nil for an unconditional one, which ignores it.
    private func conditioning(_ letter: Int32?) -> Int32? {
        isConditional ? (letter ?? 0) : nil
    }

    /// `count` points of class `letter` (nil for an unconditional model).
    public func classes(_ letter: Int32?, count: Int) -> [Int32]? {
        conditioning(letter).map { [Int32](repeating: $0, count: count) }
    }

    /// Decodes `points` (`[count, latentDim]`), reusing the slot's last result when the points and
    /// weights are unchanged (a frame redrawn for another reason decodes nothing).
    ///
    /// Decoding in the background, the answer is the slot's newest result: exact when it is for these
    /// points and weights; else, while the worker decodes them, the previous result if it holds as many
    /// letters (the picture catches up a moment later), or nil (nothing to show yet).
    ///
    /// A conditional model decodes point r as class `classes[r]` (one per point; all of the first class
    /// when nil); an unconditional one ignores `classes`.
    public func decodeBatch(_ points: [Float], slot: DecodeSlot, classes: [Int32]? = nil) -> [Float]? {
        let classes = isConditional ? (classes ?? self.classes(0, count: points.count / latentDim)) : nil
        guard let worker else {
            if let cache = decodeCaches[slot], cache.version == version, cache.key == points, cache.classes == classes { return cache.pixels }
            let pixels = points.isEmpty ? [] : inference.decodeBatch(points, classes: classes)
            decodeCaches[slot] = (points, classes, version, pixels)
            return pixels
        }
        let result = worker.result(slot)
        if let result, result.version == version, result.points == points, result.classes == classes { return result.pixels }
        worker.submit(DecodeWorker.Request(points: points, classes: classes, version: version, decoder: inference.batchDecoder), slot: slot)
        let wanted = points.count / latentDim * model.configuration.inputSize
        return result.flatMap { $0.pixels.count == wanted ? $0.pixels : nil }
    }

    /// Whether background decodes are under way (the program checks back soon for their pictures).
    public var isDecoding: Bool { worker?.isBusy ?? false }

    /// Whether background decodes are under way or have finished without being drawn yet: while true,
    /// the program must not sleep long.
    public var decodesNeedAttention: Bool { worker?.needsAttention ?? false }

    /// True once after background decodes finished since the last call: time for a new frame.
    public func takeFreshDecodes() -> Bool { worker?.takeFreshResults() ?? false }

    /// The background decoder's CPU time and the letters it decoded since the view was made (zero when
    /// the view decodes on the caller's thread).
    public var backgroundDecodeWork: (cpuNanoseconds: Int, letters: Int) { worker?.workDone ?? (0, 0) }

    /// Waits for the background decodes asked for so far.
    public func waitForDecodes() { worker?.waitUntilIdle() }

    /// The decoded small letters of the whole grid, `[rows * columns, 784]` (nil: not decoded yet); a
    /// conditional model draws class `letter` in every tile.
    public func decodeGrid(_ geometry: PlaneGeometry, plane: LatentPlane, letter: Int32? = nil) -> [Float]? {
        let centres = geometry.cellCentres
        var points: [Float] = []
        points.reserveCapacity(centres.count / 2 * latentDim)
        for i in stride(from: 0, to: centres.count, by: 2) { points += plane.point((centres[i], centres[i + 1])) }
        return decodeBatch(points, slot: .grid, classes: classes(letter, count: centres.count / 2))
    }

    /// The class the kNN over reference codes gives a latent point.
    public func nearestClass(_ point: [Float]) -> Int? { classVote(point)?.label }

    /// The kNN's verdict at a latent point: the class, and how many of the neighbours voted for it.
    public func classVote(_ point: [Float]) -> (label: Int, votes: Int, of: Int)? {
        if let last = lastVote, last.codesVersion == codesVersion, last.point == point { return last.vote }
        let vote = classifier?.vote(point)
        lastVote = (point, codesVersion, vote)
        return vote
    }

    /// The test letter whose code is nearest a latent point, and the distance.
    public func nearestTestLetter(_ point: [Float]) -> (index: Int, distance: Float)? {
        if let last = lastNearest, last.codesVersion == codesVersion, last.point == point { return last.hit }
        let hit = NearestCode.find(point, in: testCodes, dimension: latentDim)
        lastNearest = (point, codesVersion, hit)
        return hit
    }

    /// The mean test code of each class, recomputed when the codes change.
    public var classCentres: ClassCentres {
        if let cache = centresCache, cache.codesVersion == codesVersion { return cache.centres }
        let centres = ClassCentres(codes: testCodes, labels: test.labels, dimension: latentDim)
        centresCache = (codesVersion, centres)
        return centres
    }

    /// The test letter of class `label` whose code is nearest a latent point, and the distance: the
    /// example the side pane shows beside the kNN's verdict, so that picture and verdict agree.
    public func nearestTestLetter(_ point: [Float], label: Int) -> (index: Int, distance: Float)? {
        let labels = test.labels
        var best: (index: Int, distance: Float)?
        for index in labels.indices where labels[index] == label {
            let base = index * latentDim
            var squared: Float = 0
            for j in 0 ..< latentDim {
                let d = testCodes[base + j] - point[j]
                squared += d * d
            }
            if squared < (best.map { $0.distance * $0.distance } ?? .infinity) { best = (index, squared.squareRoot()) }
        }
        return best
    }

    /// Latent mean of test image `index`.
    public func testCode(_ index: Int) -> [Float] {
        let base = index * latentDim
        return Array(testCodes[base ..< base + latentDim])
    }

    /// Every test code projected onto `plane`: `[x0, y0, x1, y1, ...]`, cached per plane and codes.
    public func projectedTestCodes(on plane: LatentPlane) -> [Float] {
        if let cache = projectionCache, cache.codesVersion == codesVersion, cache.plane == plane { return cache.points }
        let d = latentDim
        var points = [Float](repeating: 0, count: test.count * 2)
        for index in 0 ..< test.count {
            let p = plane.project(testCodes[index * d ..< (index + 1) * d])
            points[2 * index] = p.x
            points[2 * index + 1] = p.y
        }
        projectionCache = (plane, codesVersion, points)
        return points
    }

    /// The test image `index` as floats in [0, 1].
    public func testImage(_ index: Int) -> [Float] {
        test.image(index).map { Float($0) / 255 }
    }

    /// The reconstruction of test image `index`: decoder applied to its latent mean (and, for a
    /// conditional model, told its label).
    public func reconstruction(_ index: Int) -> [Float] {
        decode(testCode(index), letter: testClass(index))
    }

    /// The standard deviation of each dimension of `codes` (`[count, dimension]`).
    private static func spread(_ codes: [Float], dimension: Int) -> [Float] {
        ActiveUnits.variances(codes: codes, dimension: dimension).map { Float($0.squareRoot()) }
    }
}
