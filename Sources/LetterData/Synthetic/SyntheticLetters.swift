import Support
#if canImport(Glibc)
import Glibc
#endif

/// A built-in source of handwritten-looking letters, for when no data set is at hand: pen-stroke
/// skeletons of the forms people write (`LetterForms`: capitals, small letters, single- and
/// double-storey a and g, bars, loops...) drawn in a random handwriting style each time, then framed
/// as EMNIST frames its scans: scaled to fill the middle 24x24 of the 28x28 image, centred, blurred,
/// darkest pixel at 255. Labelled 1...26 with the cases merged as in EMNIST letters.
/// Deterministic: the same seed gives the same bytes on any machine and any number of cores.
public enum SyntheticLetters {
    /// Renders letter `label` (1...26) in a form drawn with the forms' shares, in a random style: 784 bytes.
    public static func render<G: RandomNumberGenerator>(label: Int, using generator: inout G) -> [UInt8] {
        precondition(LabelledDataset.letterLabels.contains(label), "letters are labelled 1...26")
        let u = Float(generator.next() >> 40) * (1.0 / 16_777_216.0)
        return render(LetterForms.choose(label: label, u), aspect: LetterForms.classAspect[label - 1], using: &generator)
    }

    /// Renders one form of a letter in a random style, stretched horizontally by `aspect`: 784 bytes.
    public static func render<G: RandomNumberGenerator>(_ form: LetterForm, aspect: Float = 1, using generator: inout G) -> [UInt8] {
        var style = HandwritingStyle(using: &generator)
        style.aspect *= aspect
        let strokes = form.strokes.map { handwritten($0, style: style, using: &generator).polyline().map(style.shape) }
        // Fit the letter so that its ink, faint edges included, spans style.frame pixels on its longer side, centred.
        let all = strokes.flatMap { $0 }
        let (minX, maxX) = (all.map(\.x).min() ?? 0, all.map(\.x).max() ?? 1)
        let (minY, maxY) = (all.map(\.y).min() ?? 0, all.map(\.y).max() ?? 1)
        let scale = (style.frame - style.penWidth - 2 * style.fadeDistance) / max(maxX - minX, maxY - minY, 0.05)
        let centre = Float(ImageSet.side) / 2
        var rasterizer = StrokeRasterizer(blur: style.blur)
        for stroke in strokes {
            let pixels = stroke.map { p in
                GlyphPoint(centre + (p.x - (minX + maxX) / 2) * scale, centre + (p.y - (minY + maxY) / 2) * scale)
            }
            rasterizer.drawPolyline(pixels, radii: penRadii(along: stroke, style: style))
        }
        return rasterizer.normalizedBytes
    }

    /// The skeleton stroke as this hand wrote it: hand-placed points wobble on their own; a ring starts
    /// and ends a little early or late and bulges in a slow wave, as a whole.
    private static func handwritten<G: RandomNumberGenerator>(_ stroke: Stroke, style: HandwritingStyle, using generator: inout G) -> Stroke {
        var wobbled = stroke
        if var arc = stroke.arc {
            arc.from += HandwritingStyle.gaussian(&generator) * 10
            arc.to += HandwritingStyle.gaussian(&generator) * 10
            let waves = (0 ..< 2).map { _ in (HandwritingStyle.gaussian(&generator) * style.jitter * 2,
                                              Float.random(in: 0 ... 2 * .pi, using: &generator)) }
            wobbled.points = arc.points { angle in
                1 + waves[0].0 * sinf(angle + waves[0].1) + waves[1].0 * sinf(2 * angle + waves[1].1)
            }
        } else {
            wobbled.points = stroke.points.map { p in
                GlyphPoint(p.x + HandwritingStyle.gaussian(&generator) * style.jitter,
                           p.y + HandwritingStyle.gaussian(&generator) * style.jitter)
            }
        }
        return wobbled
    }

    /// The pen's radius at each point of a shaped stroke (glyph units): the style's pressure wave over
    /// the distance travelled.
    private static func penRadii(along stroke: [GlyphPoint], style: HandwritingStyle) -> [Float] {
        var radii: [Float] = []
        radii.reserveCapacity(stroke.count)
        var travelled: Float = 0
        for (index, point) in stroke.enumerated() {
            if index > 0 {
                let (dx, dy) = (point.x - stroke[index - 1].x, point.y - stroke[index - 1].y)
                travelled += (dx * dx + dy * dy).squareRoot()
            }
            radii.append(style.penWidth / 2 * style.pressure(at: travelled))
        }
        return radii
    }

    /// `count` images with labels cycling through `labels`, each in a random form and style.
    public static func makeImageSet(count: Int, seed: UInt64, labels: [Int] = Array(LabelledDataset.letterLabels)) -> ImageSet {
        precondition(!labels.isEmpty, "at least one label")
        // Fixed chunks, each with a generator derived from (seed, chunk): the output does not depend
        // on how many cores run them.
        let chunkSize = 1_024
        let chunks = (count + chunkSize - 1) / chunkSize
        let parts = Parallel.mapChunks(count: chunks, chunks: chunks) { range -> [UInt8] in
            var bytes: [UInt8] = []
            for chunk in range {
                var generator = SeededGenerator(seed: seed, stream: chunk)
                for index in chunk * chunkSize ..< min((chunk + 1) * chunkSize, count) {
                    bytes += render(label: labels[index % labels.count], using: &generator)
                }
            }
            return bytes
        }
        return ImageSet(pixels: parts.flatMap { $0 }, labels: (0 ..< count).map { labels[$0 % labels.count] })
    }

    /// The seed of the built-in data set (`--data synthetic`).
    public static let datasetSeed: UInt64 = 1
    /// The test split's seed: the training seed moved by this large prime, so the two never share a letter.
    public static func testSeed(for seed: UInt64) -> UInt64 { seed &+ 1_000_003 }

    /// Train and test splits from different seeds, named like EMNIST letters.
    public static func makeDataset(trainCount: Int = LabelledDataset.emnistLettersCSVSizes.train,
                                   testCount: Int = LabelledDataset.emnistLettersCSVSizes.test, seed: UInt64 = datasetSeed) -> LabelledDataset {
        LabelledDataset(name: "synthetic-letters", train: makeImageSet(count: trainCount, seed: seed),
                        test: makeImageSet(count: testCount, seed: testSeed(for: seed)),
                        classNames: LabelledDataset.letterClassNames)
    }
}
