import LetterData
import VAE

/// Draw mode's drawing as a model reads it: prepared as EMNIST prepared NIST's letters
/// (`LetterPreparation`, the one implementation `encode` uses too), then read by `LetterReader` (its
/// code, the nearest test letters, the verdict, the reconstruction), as `encode` reads a file.
public struct DrawingReading: Sendable {
    /// The prepared 28x28 pixels (0 background, 255 ink): what the model reads and `S` saves.
    public var prepared: [UInt8]
    public var reading: LetterReader.Reading

    /// The code marked on the plane: the encoder's mean (a conditional model's, for its own most likely class).
    public var code: [Float] { reading.mean }
}

extension ModelView {
    /// The drawing prepared and read by this model (nil while the canvas holds no ink). The last
    /// answer is kept, keyed on the strokes (the ink, hence the reading, is worked out from them alone):
    /// frames redrawn for another reason, the pen moved while up or the button released, read nothing again.
    public func read(_ drawing: DrawingCanvas) -> DrawingReading? {
        if let cache = drawingCache, cache.strokes == drawing.strokes, cache.version == version, cache.codesVersion == codesVersion {
            return cache.reading
        }
        let reading = Self.prepare(drawing).map { DrawingReading(prepared: $0, reading: reader.read($0)) }
        drawingCache = (drawing.strokes, version, codesVersion, reading)
        return reading
    }

    /// The canvas's ink through the EMNIST steps (nil for an empty canvas).
    public static func prepare(_ drawing: DrawingCanvas) -> [UInt8]? {
        guard !drawing.isEmpty else { return nil }
        return LetterPreparation.prepare(ink: drawing.ink, width: DrawingCanvas.side, height: DrawingCanvas.side)
    }

    /// The reader of this model over the test letters' codes (`encode`'s reference too).
    private var reader: LetterReader {
        if let cache = readerCache, cache.version == version, cache.codesVersion == codesVersion { return cache.reader }
        let reader = LetterReader(inference: inference, reference: NearestNeighbours(codes: testCodes, labels: test.labels, dimension: latentDim))
        readerCache = (version, codesVersion, reader)
        return reader
    }
}
