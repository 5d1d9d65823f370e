import VAE

/// The UI thread's own copy of the model and everything derived from it: decoded grid and cursor
/// letter, latent codes of the test letters, and the kNN over reference (training) codes. Training
/// runs on another copy; snapshots replace this one (`replaceModel`).
public final class ModelView {
    public private(set) var model: VAEModel
    public private(set) var inference: Inference
    public let test: ImageSet
    public let reference: ImageSet
    /// Bumped whenever the weights change, so renderers know their caches are stale.
    public private(set) var version = 0

    public private(set) var testCodes: [Float] = []
    private var classifier: NearestNeighbours?
    private var gridCache: (key: GridKey, pixels: [Float])?

    private struct GridKey: Equatable {
        var version: Int
        var geometry: PlaneGeometry
    }

    /// `reference` are labelled images whose codes the nearest-class kNN votes with.
    public init(model: VAEModel, test: ImageSet, reference: ImageSet) {
        self.model = model
        inference = Inference(model: model)
        self.test = test
        self.reference = reference
        refreshCodes()
    }

    public var latentDim: Int { model.latentDim }

    /// Takes new weights (a training snapshot). Codes are re-encoded only when asked, as that is the
    /// costly part (`refreshCodes`).
    public func replaceModel(_ newModel: VAEModel) {
        model = newModel
        inference = Inference(model: newModel)
        version += 1
    }

    /// Re-encodes the test and reference letters with the current weights.
    public func refreshCodes() {
        testCodes = inference.encodeMeans(test)
        classifier = NearestNeighbours(codes: inference.encodeMeans(reference), labels: reference.labels, dimension: latentDim)
    }

    /// 784 pixel probabilities at a latent point (2-D models; other coordinates are 0).
    public func decode(_ point: (x: Float, y: Float)) -> [Float] {
        inference.decode(latentVector(point))
    }

    /// The decoded small letters of the whole grid, `[rows * columns, 784]`, cached per view and weights.
    public func decodeGrid(_ geometry: PlaneGeometry) -> [Float] {
        let key = GridKey(version: version, geometry: geometry)
        if let cache = gridCache, cache.key == key { return cache.pixels }
        var points: [Float] = []
        let centres = geometry.cellCentres
        for i in stride(from: 0, to: centres.count, by: 2) { points += latentVector((centres[i], centres[i + 1])) }
        let pixels = inference.decodeBatch(points)
        gridCache = (key, pixels)
        return pixels
    }

    /// The class the kNN over reference codes gives a latent point.
    public func nearestClass(_ point: (x: Float, y: Float)) -> Int? {
        classifier?.classify(latentVector(point))
    }

    /// Latent mean of test image `index` (its first two coordinates).
    public func testCode(_ index: Int) -> (x: Float, y: Float) {
        let base = index * latentDim
        return (testCodes[base], latentDim > 1 ? testCodes[base + 1] : 0)
    }

    /// The test image `index` as floats in [0, 1].
    public func testImage(_ index: Int) -> [Float] {
        test.image(index).map { Float($0) / 255 }
    }

    /// The reconstruction of test image `index`: decoder applied to its latent mean.
    public func reconstruction(_ index: Int) -> [Float] {
        let base = index * latentDim
        return inference.decode(Array(testCodes[base ..< base + latentDim]))
    }

    private func latentVector(_ point: (x: Float, y: Float)) -> [Float] {
        var v = [Float](repeating: 0, count: latentDim)
        v[0] = point.x
        if latentDim > 1 { v[1] = point.y }
        return v
    }
}
