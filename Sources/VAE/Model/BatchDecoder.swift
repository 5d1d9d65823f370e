import Support

/// Decodes batches of latent points with an immutable snapshot of a model's decoder weights: a
/// `Sendable` value, so a decode worker thread can hold one while the UI thread keeps the model.
public struct BatchDecoder: Sendable {
    /// The snapshot: its weights are copied when it is made and never written (see `PointDecoder`).
    let decoder: any PointDecoder
    public let latentDim: Int
    public let inputSize: Int
    /// The classes a conditional decoder takes (0: unconditional).
    public let classCount: Int

    /// Points at or above this count are decoded on two threads.
    static let parallelThreshold = 16

    init(decoder: any PointDecoder, configuration: ModelConfiguration) {
        self.decoder = decoder
        (latentDim, inputSize, classCount) = (configuration.latentDim, configuration.inputSize, configuration.classCount)
    }

    /// Decodes `points.count / latentDim` latent points: row r of the result holds the `inputSize`
    /// pixel probabilities of point r. A conditional decoder takes `classes`, one class index
    /// (0..<classCount) per point; an unconditional one nil. Large batches are split over two threads,
    /// each decoding its points into an array of its own.
    public func decodeBatch(_ points: [Float], classes: [Int32]? = nil) -> [Float] {
        let l = latentDim
        precondition(points.count % l == 0, "points must have \(l) coordinates each")
        let count = points.count / l
        precondition((classes != nil) == (classCount > 0), classCount > 0 ? "a conditional decoder needs a class per point" : "an unconditional decoder takes no classes")
        precondition(classes.map { $0.count == count } ?? true, "one class per point")
        guard count >= Self.parallelThreshold else { return decode(points, classes, 0 ..< count) }
        return Parallel.mapChunks(count: count, chunks: 2) { range in decode(points, classes, range) }.flatMap { $0 }
    }

    /// Points `range` of `points` decoded to `range.count * inputSize` pixel probabilities.
    private func decode(_ points: [Float], _ classes: [Int32]?, _ range: Range<Int>) -> [Float] {
        var pixels = [Float](repeating: 0, count: range.count * inputSize)
        pixels.withUnsafeMutableBufferPointer { out in
            points.withUnsafeBufferPointer { input in
                guard let source = input.baseAddress, let target = out.baseAddress else { return }
                if let classes {
                    classes.withUnsafeBufferPointer { labels in
                        decoder.decode(source + range.lowerBound * latentDim, classes: labels.baseAddress! + range.lowerBound,
                                       count: range.count, into: target)
                    }
                } else {
                    decoder.decode(source + range.lowerBound * latentDim, count: range.count, into: target)
                }
            }
        }
        return pixels
    }
}
