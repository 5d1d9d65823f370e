/// A built-in source of handwritten-looking letters, for when no data set is at hand: pen-stroke
/// skeletons of a...z and A...Z drawn with a random handwriting style each time, fitted into 28x28
/// as EMNIST does, labelled 1...26 with the cases merged as in EMNIST letters.
/// Deterministic: the same seed gives the same bytes on any machine and any number of cores.
public enum SyntheticLetters {
    /// Renders letter `label` (1...26), in capitals or small letters, in a random style: 784 bytes.
    public static func render<G: RandomNumberGenerator>(label: Int, uppercase: Bool, using generator: inout G) -> [UInt8] {
        precondition((1 ... 26).contains(label), "letters are labelled 1...26")
        let style = HandwritingStyle(using: &generator)
        var strokes: [[GlyphPoint]] = []
        for stroke in GlyphSkeletons.strokes(label: label, uppercase: uppercase) {
            var wobbled = stroke
            if !stroke.isArc {
                wobbled.points = stroke.points.map { p in
                    GlyphPoint(p.x + gaussian(&generator) * style.jitter, p.y + gaussian(&generator) * style.jitter)
                }
            }
            strokes.append(wobbled.polyline().map(style.shape))
        }
        // Fit the bounding box's longer side to style.size pixels, centred (plus the style's offset).
        let all = strokes.flatMap { $0 }
        let (minX, maxX) = (all.map(\.x).min() ?? 0, all.map(\.x).max() ?? 1)
        let (minY, maxY) = (all.map(\.y).min() ?? 0, all.map(\.y).max() ?? 1)
        let penMargin = style.penWidth
        let scale = (style.size - penMargin) / max(maxX - minX, maxY - minY, 0.3)
        let centre = Float(ImageSet.side) / 2
        var rasterizer = StrokeRasterizer()
        for stroke in strokes {
            let pixels = stroke.map { p in
                GlyphPoint(centre + style.offset.x + (p.x - (minX + maxX) / 2) * scale,
                           centre + style.offset.y + (p.y - (minY + maxY) / 2) * scale)
            }
            rasterizer.drawPolyline(pixels, radius: style.penWidth / 2, ink: style.ink)
        }
        return rasterizer.bytes
    }

    /// `count` images with labels cycling through `labels`, each in a random case and style.
    public static func makeImageSet(count: Int, seed: UInt64, labels: [Int] = Array(1 ... 26)) -> ImageSet {
        precondition(!labels.isEmpty, "at least one label")
        // Fixed chunks, each with a generator derived from (seed, chunk): the output does not depend
        // on how many cores run them.
        let chunkSize = 1_024
        let chunks = (count + chunkSize - 1) / chunkSize
        let parts = Parallel.mapChunks(count: chunks, chunks: chunks) { range -> [UInt8] in
            var bytes: [UInt8] = []
            for chunk in range {
                var generator = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(chunk))
                for index in chunk * chunkSize ..< min((chunk + 1) * chunkSize, count) {
                    let uppercase = generator.nextUniform() < 0.5
                    bytes += render(label: labels[index % labels.count], uppercase: uppercase, using: &generator)
                }
            }
            return bytes
        }
        return ImageSet(pixels: parts.flatMap { $0 }, labels: (0 ..< count).map { labels[$0 % labels.count] })
    }

    /// Train and test splits from different seeds, named like EMNIST letters.
    public static func makeDataset(trainCount: Int = 88_800, testCount: Int = 14_800, seed: UInt64 = 1) -> LabelledDataset {
        LabelledDataset(name: "synthetic-letters", train: makeImageSet(count: trainCount, seed: seed),
                        test: makeImageSet(count: testCount, seed: seed &+ 1_000_003),
                        classNames: LabelledDataset.letterClassNames)
    }

    private static func gaussian<G: RandomNumberGenerator>(_ generator: inout G) -> Float {
        // Sum of three uniforms on [-1, 1]: variance 1, close enough to normal for a wobble, and cheap.
        let sum = Float.random(in: -1 ... 1, using: &generator) + Float.random(in: -1 ... 1, using: &generator)
            + Float.random(in: -1 ... 1, using: &generator)
        return sum
    }
}
