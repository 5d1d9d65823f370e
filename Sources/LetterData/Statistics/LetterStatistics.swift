import Support

/// The distribution of each `LetterMeasures` quantity over a set of letter images: how two data sets
/// (real EMNIST letters and the synthetic ones) differ in ink, size, position, pen width and slant.
public struct LetterStatistics: Sendable {
    /// Mean, spread and deciles of one measure over the images.
    public struct Summary: Sendable, Equatable {
        public var mean: Double
        public var standardDeviation: Double
        public var p10: Double
        public var median: Double
        public var p90: Double

        public init(_ values: [Double]) {
            precondition(!values.isEmpty, "a summary needs values")
            let n = Double(values.count)
            mean = values.reduce(0, +) / n
            let m = mean
            standardDeviation = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / n).squareRoot()
            let sorted = values.sorted()
            func quantile(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int((q * (n - 1)).rounded()))] }
            p10 = quantile(0.1)
            median = quantile(0.5)
            p90 = quantile(0.9)
        }
    }

    /// A measure by name, with what it means, in the order the table prints them.
    public struct Measure: Sendable {
        public var name: String
        public var meaning: String
        public var value: @Sendable (LetterMeasures) -> Double
    }

    public static let measures: [Measure] = [
        Measure(name: "ink", meaning: "total ink, full pixels") { $0.ink },
        Measure(name: "stroke pixels", meaning: "pixels at least half ink") { Double($0.strokePixels) },
        Measure(name: "soft edge", meaning: "share of inked pixels below half ink") { $0.softEdgeFraction },
        Measure(name: "width", meaning: "box around all ink, px") { Double($0.width) },
        Measure(name: "height", meaning: "box around all ink, px") { Double($0.height) },
        Measure(name: "longer side", meaning: "max(width, height), px") { Double(max($0.width, $0.height)) },
        Measure(name: "box centre x", meaning: "from the image centre, px") { $0.boxCentreX },
        Measure(name: "box centre y", meaning: "from the image centre, px") { $0.boxCentreY },
        Measure(name: "centroid x", meaning: "centre of mass, px") { $0.centroidX },
        Measure(name: "centroid y", meaning: "centre of mass, px") { $0.centroidY },
        Measure(name: "stroke width", meaning: "pen width across the stroke, px") { $0.strokeWidth },
        Measure(name: "slant", meaning: "shear, px right per px up") { $0.slant },
    ]

    public var count: Int
    /// One summary per entry of `measures`, in that order.
    public var summaries: [Summary]
    /// Share of all pixels in each brightness band of `pixelBands`.
    public var pixelBandShares: [Double]

    /// Pixel brightness bands: background, faint, soft edge, firm, full.
    public static let pixelBands: [(name: String, range: ClosedRange<UInt8>)] = [
        ("0", 0 ... 0), ("1-63", 1 ... 63), ("64-127", 64 ... 127), ("128-249", 128 ... 249), ("250-255", 250 ... 255),
    ]

    public init(_ images: ImageSet) {
        precondition(images.count > 0, "statistics need at least one image")
        let perChunk = Parallel.mapChunks(count: images.count) { range -> (measures: [LetterMeasures], bands: [Int]) in
            var bands = [Int](repeating: 0, count: Self.pixelBands.count)
            var measures: [LetterMeasures] = []
            measures.reserveCapacity(range.count)
            for index in range {
                let image = images.image(index)
                measures.append(LetterMeasures(image: image))
                for value in image {
                    bands[Self.pixelBands.firstIndex { $0.range.contains(value) }!] += 1
                }
            }
            return (measures, bands)
        }
        let all = perChunk.flatMap(\.measures)
        count = all.count
        summaries = Self.measures.map { measure in Summary(all.map(measure.value)) }
        let totals = perChunk.map(\.bands).reduce([Int](repeating: 0, count: Self.pixelBands.count)) { zip($0, $1).map(+) }
        pixelBandShares = totals.map { Double($0) / Double(images.pixels.count) }
    }

    /// Statistics of each label's images separately.
    public static func byLabel(_ images: ImageSet) -> [Int: LetterStatistics] {
        var result: [Int: LetterStatistics] = [:]
        for label in Set(images.labels) { result[label] = LetterStatistics(images.filtered(labels: [label])) }
        return result
    }

    public func summary(_ name: String) -> Summary? {
        Self.measures.firstIndex { $0.name == name }.map { summaries[$0] }
    }
}
