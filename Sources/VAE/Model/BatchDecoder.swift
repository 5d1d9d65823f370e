import Support

/// Decodes batches of latent points with an immutable snapshot of a model's decoder weights: a
/// `Sendable` value, so a decode worker thread can hold one while the UI thread keeps the model.
public struct BatchDecoder: Sendable {
    /// The snapshot: its weights are copied when it is made and never written (see `PointDecoder`).
    let decoder: any PointDecoder
    public let latentDim: Int
    public let inputSize: Int

    /// Points at or above this count are decoded on two threads.
    static let parallelThreshold = 16

    init(decoder: any PointDecoder, configuration: ModelConfiguration) {
        self.decoder = decoder
        (latentDim, inputSize) = (configuration.latentDim, configuration.inputSize)
    }

    /// Decodes `points.count / latentDim` latent points: row r of the result holds the `inputSize`
    /// pixel probabilities of point r. Large batches are split over two threads, each decoding its
    /// points into an array of its own.
    public func decodeBatch(_ points: [Float]) -> [Float] {
        let l = latentDim
        precondition(points.count % l == 0, "points must have \(l) coordinates each")
        let count = points.count / l
        guard count >= Self.parallelThreshold else { return decode(points, 0 ..< count) }
        return Parallel.mapChunks(count: count, chunks: 2) { range in decode(points, range) }.flatMap { $0 }
    }

    /// Points `range` of `points` decoded to `range.count * inputSize` pixel probabilities.
    private func decode(_ points: [Float], _ range: Range<Int>) -> [Float] {
        var pixels = [Float](repeating: 0, count: range.count * inputSize)
        pixels.withUnsafeMutableBufferPointer { out in
            points.withUnsafeBufferPointer { input in
                guard let source = input.baseAddress, let target = out.baseAddress else { return }
                decoder.decode(source + range.lowerBound * latentDim, count: range.count, into: target)
            }
        }
        return pixels
    }
}
