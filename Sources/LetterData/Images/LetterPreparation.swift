import FileFormats

/// A picture of one letter made into what the models were trained on: 28x28, upright, ink 255 on
/// background 0, the way EMNIST made its letters from NIST's scanned forms (Cohen et al. 2017,
/// "EMNIST: an extension of MNIST to handwritten letters", section II-A): a Gaussian blur, the region
/// of the ink cut out, centred in a square frame that keeps its aspect ratio, a 2-pixel margin, and a
/// resampling to 28x28 with the intensities stretched to the full range.
///
/// The one implementation: `encode` runs files through it and the explorer's draw mode its canvas.
public enum LetterPreparation {
    public static let side = ImageSet.side
    /// Blank pixels between the ink's frame and the image's edge (EMNIST's 2-pixel border).
    public static let margin = 2
    /// EMNIST blurred NIST's 128x128 images with σ = 1 pixel: the blur here is σ = 1 per 128 pixels
    /// of the longer side of the letter's frame (not of the whole picture: a photo's margins are the
    /// photographer's choice, and a σ that grew with them blurred a loosely framed letter several
    /// times more than EMNIST blurred its letters).
    public static let blurSigmaPerSide: Float = 1.0 / 128
    /// EMNIST's frame was the blurred letter's whole extent (every pixel the blur left above zero),
    /// where the frame here is found at `frameThreshold`, which a faint shadow or noise cannot reach.
    /// On a blurred edge the two lie 2.04 σ apart (Φ(-d/σ) is 0.2 at d = 0.84 σ and half a grey level,
    /// 0.5/255, at d = 2.88 σ), so the frame is widened by that on each side: the ink at 0.2 then spans
    /// about 23.3 of the 24 pixels inside the margins, as on EMNIST's own letters (23.0 on average over
    /// the real training letters), where framing the ink itself had spanned all 24 and drawn every
    /// letter about 4 % larger than EMNIST's.
    public static let haloSigmas: Float = 2.04
    /// The share of a picture's pixels, darkest and brightest, that tells on which side of the paper
    /// the ink lies: a letter covers more than this of any crop around it.
    static let inkQuantile = 0.005
    /// Below this σ (in pixels) a blur changes nothing visible and is skipped.
    static let smallestBlur: Float = 0.3
    /// Ink at least this strong (0...1, after the paper is taken out) counts towards the letter's
    /// frame: it keeps faint shadows and the blur's halo from widening it.
    public static let frameThreshold: Float = 0.2
    /// Samples per output pixel side, at most, when the picture is shrunk: an area average over them
    /// (`ceil(scale)` of them) keeps thin strokes from falling between the samples.
    static let maximumSupersampling = 8

    /// How a picture's ink was read.
    public enum Polarity: String, Sendable {
        /// Dark ink on light paper (a photo, a scan, a drawing on white): inverted.
        case darkOnLight = "dark ink on light paper"
        /// Light ink on a dark background, as the data sets store letters.
        case lightOnDark = "light ink on dark"
    }

    /// The result: the 784 pixels a model takes, and what was done to get them.
    public struct Prepared: Sendable, Equatable {
        /// 28x28 bytes, row-major, 0 background and 255 ink.
        public var pixels: [UInt8]
        public var polarity: Polarity
        /// A 28x28 light-on-dark picture is already a letter as the data sets store them: taken as it is.
        public var takenAsIs: Bool
        /// No pixel was ink enough to frame (an empty canvas, a blank page): `pixels` are all 0.
        public var blank: Bool
    }

    /// Prepares a picture read from a file. Its polarity is read from its border (the paper); a
    /// light-on-dark 28x28 picture is taken as it is, every other goes through the EMNIST steps.
    public static func prepare(_ picture: RasterImage) -> Prepared {
        let polarity = paperLevel(picture).polarity
        return prepare(picture, polarity: polarity) { PaperNormalisation.ink(picture, darkInk: polarity == .darkOnLight) }
    }

    /// `prepare(picture)` and `inkThumbnail` of the same picture, its paper level and ink
    /// (`PaperNormalisation`) worked out once for both.
    public static func prepareWithThumbnail(_ picture: RasterImage) -> (prepared: Prepared, thumbnail: [UInt8]) {
        let polarity = paperLevel(picture).polarity
        let ink = PaperNormalisation.ink(picture, darkInk: polarity == .darkOnLight)
        return (prepare(picture, polarity: polarity) { ink }, inkThumbnail(ink, width: picture.width, height: picture.height))
    }

    /// `prepare(picture)` once the polarity is read; `paperInk` gives `PaperNormalisation.ink` of the
    /// picture, asked for only when the picture is not taken as it is.
    private static func prepare(_ picture: RasterImage, polarity: Polarity, paperInk: () -> [Float]) -> Prepared {
        if polarity == .lightOnDark, picture.width == side, picture.height == side {
            return Prepared(pixels: picture.luminance, polarity: polarity, takenAsIs: true,
                            blank: !picture.luminance.contains { Float($0) / 255 >= frameThreshold })
        }
        let pixels = prepare(ink: photoInk(paperInk(), width: picture.width, height: picture.height),
                             width: picture.width, height: picture.height)
        return Prepared(pixels: pixels ?? [UInt8](repeating: 0, count: side * side), polarity: polarity,
                        takenAsIs: false, blank: pixels == nil)
    }

    /// A photo's ink with what is not the letter taken out: the paper's lighting (`ink`, from
    /// `PaperNormalisation`), the lines of ruled paper (`RuledLines`), specks and the neighbours' strokes
    /// at the edges (`LetterComponents`).
    static func photoInk(_ ink: [Float], width w: Int, height h: Int) -> [Float] {
        LetterComponents.keepLetter(RuledLines.remove(ink, width: w, height: h), width: w, height: h)
    }

    /// The EMNIST steps on an ink map (`width * height` values, 0 no ink ... 1 full ink, row-major):
    /// blur, frame, centre, margin, resample, stretch; then, while the strokes come out thinner than
    /// EMNIST's own spread (`StrokeWidth`: a ballpoint pen's line), again from the ink thickened towards
    /// EMNIST's median width. Nil when nothing reaches `frameThreshold`.
    public static func prepare(ink: [Float], width: Int, height: Int) -> [UInt8]? {
        precondition(width > 0 && height > 0 && ink.count == width * height, "one ink value per pixel")
        guard var (out, scale) = frameAndResample(ink, width: width, height: height) else { return nil }
        var pixels = bytes(out), radius = 0
        // The width measure reads a line thinner than a pixel as about a pixel wide, so one correction
        // falls short for a hairline: correct again from what it gave, a few times at most.
        for _ in 0 ..< StrokeWidth.maximumCorrections {
            let more = StrokeWidth.correction(width: StrokeWidth.estimate(bytes: pixels), scale: scale)
            guard more != 0, let again = frameAndResample(StrokeWidth.dilate(ink, width: width, height: height, radius: radius + more),
                                                          width: width, height: height) else { break }
            radius += more
            (out, scale) = again
            pixels = bytes(out)
        }
        return pixels
    }

    /// Values 0...1 as bytes 0...255, rounded, clamped.
    static func bytes(_ values: [Float]) -> [UInt8] {
        values.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }
    }

    /// Blur, frame, centre, resample and stretch to a peak of 1: the 28x28 letter (0...1) and the source
    /// pixels per output pixel. Nil when nothing reaches `frameThreshold`.
    static func frameAndResample(_ ink: [Float], width: Int, height: Int) -> (pixels: [Float], scale: Float)? {
        guard let letter = inkFrame(ink, width: width, height: height) else { return nil }
        let sigma = Float(max(letter.width, letter.height)) * blurSigmaPerSide
        let blurred = sigma >= smallestBlur ? GaussianBlur.apply(ink, width: width, height: height, sigma: sigma) : ink
        guard let frame = inkFrame(blurred, width: width, height: height) else { return nil }

        // The frame, widened by the blur's halo, spans the 24 pixels inside the margins along its longer
        // side; the shorter is centred.
        let long = Float(max(frame.width, frame.height))
        let content = Float(side - 2 * margin) * long / (long + 2 * haloSigmas * sigma)
        let out = resample(blurred, width: width, height: height, frame: frame, content: content)
        let peak = out.max() ?? 0
        guard peak > 0 else { return nil }
        return (out.map { $0 / peak }, long / content)
    }

    /// The whole picture as ink (`ink`, `PaperNormalisation.ink` of it: white on black, like the data),
    /// shrunk to 28x28 keeping its aspect ratio: how `encode --out` shows the input beside what was made of it.
    static func inkThumbnail(_ ink: [Float], width: Int, height: Int) -> [UInt8] {
        bytes(resample(ink, width: width, height: height, frame: (0, 0, width, height), content: Float(side)))
    }

    /// `values` resampled to 28x28 so that `frame`'s longer side spans `content` pixels, centred; each
    /// output pixel is the mean of up to 8x8 bilinear samples (an area average when shrinking).
    static func resample(_ values: [Float], width: Int, height: Int, frame: (minX: Int, minY: Int, width: Int, height: Int),
                         content: Float) -> [Float] {
        let scale = Float(max(frame.width, frame.height)) / content   // source pixels per output pixel
        let centreX = Float(frame.minX) + Float(frame.width) / 2, centreY = Float(frame.minY) + Float(frame.height) / 2
        let samples = min(maximumSupersampling, max(1, Int(scale.rounded(.up))))
        var out = [Float](repeating: 0, count: side * side)
        values.withUnsafeBufferPointer { v in
            for oy in 0 ..< side {
                for ox in 0 ..< side {
                    var sum: Float = 0
                    for sy in 0 ..< samples {
                        for sx in 0 ..< samples {
                            let ux = Float(ox) + (Float(sx) + 0.5) / Float(samples), uy = Float(oy) + (Float(sy) + 0.5) / Float(samples)
                            let x = centreX + (ux - Float(side) / 2) * scale, y = centreY + (uy - Float(side) / 2) * scale
                            sum += bilinear(v, width: width, height: height, x: x - 0.5, y: y - 0.5)
                        }
                    }
                    out[oy * side + ox] = sum / Float(samples * samples)
                }
            }
        }
        return out
    }

    /// The paper's luminance (the median of the picture's border) and what it says of the ink: the ink
    /// lies on the side of the paper where the picture reaches further from it (its `inkQuantile` darkest
    /// against its brightest pixels), so grey paper in a dim photo still has dark ink. When neither side
    /// reaches `PaperNormalisation.minimumContrast` from the paper (a blank page, a letter of a few
    /// pixels), light paper is taken to carry dark ink.
    static func paperLevel(_ picture: RasterImage) -> (paper: Float, polarity: Polarity) {
        let w = picture.width, h = picture.height
        let ring = max(1, min(w, h) / 20)
        var border = [Int](repeating: 0, count: 256), whole = border
        picture.luminance.withUnsafeBufferPointer { l in
            for y in 0 ..< h {
                for x in 0 ..< w {
                    let level = Int(l[y * w + x])
                    whole[level] += 1
                    if x < ring || y < ring || x >= w - ring || y >= h - ring { border[level] += 1 }
                }
            }
        }
        let paper = quantile(border, 0.5)
        let darker = Float(paper - quantile(whole, inkQuantile)), lighter = Float(quantile(whole, 1 - inkQuantile) - paper)
        let darkInk = max(darker, lighter) < PaperNormalisation.minimumContrast ? paper >= 128 : darker >= lighter
        return (Float(paper) / 255, darkInk ? .darkOnLight : .lightOnDark)
    }

    /// The luminance below which a `fraction` of the counted pixels lie, from a 256-bin histogram.
    static func quantile(_ histogram: [Int], _ fraction: Double) -> Int {
        let total = histogram.reduce(0, +)
        let rank = Int(Double(total - 1) * fraction)
        var seen = 0
        for (level, count) in histogram.enumerated() {
            seen += count
            if seen > rank { return level }
        }
        return 255
    }

    /// The bounding box of the pixels at least `frameThreshold`.
    static func inkFrame(_ ink: [Float], width: Int, height: Int) -> (minX: Int, minY: Int, width: Int, height: Int)? {
        var minX = width, minY = height, maxX = -1, maxY = -1
        for y in 0 ..< height {
            for x in 0 ..< width where ink[y * width + x] >= frameThreshold {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        guard maxX >= 0 else { return nil }
        return (minX, minY, maxX - minX + 1, maxY - minY + 1)
    }

    /// The value at (x, y) in pixel-centre coordinates, interpolated; 0 outside the picture.
    @inline(__always)
    static func bilinear(_ values: UnsafeBufferPointer<Float>, width: Int, height: Int, x: Float, y: Float) -> Float {
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = x - Float(x0), fy = y - Float(y0)
        func at(_ xx: Int, _ yy: Int) -> Float {
            xx >= 0 && yy >= 0 && xx < width && yy < height ? values[yy * width + xx] : 0
        }
        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
        let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }
}
