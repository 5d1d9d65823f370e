import Support

/// Estimates which form (capital, single-storey a, bar, loop...) each letter of a set is written in:
/// the letter is compared with renders of every form of its class from the synthetic generator, and
/// the forms of its `k` nearest renders vote. Comparing at half resolution (14x14, 2x2 means) makes
/// the vote depend on the shape more than on exact stroke positions.
///
/// It is an estimate: the renders are the generator's idea of each form. Run on the synthetic letters
/// themselves, it shows how well the vote recovers the shares the generator draws with.
public struct LetterFormCensus: Sendable {
    /// Renders of each form the letters are compared with.
    public static let rendersPerForm = 300
    public static let neighbours = 5
    public static let renderSeed: UInt64 = 4_242

    /// Classes whose forms look alike once EMNIST has framed them (c, o, p, s, v, x): not counted.
    public static let formsLookAlike: Set<Int> = [3, 15, 16, 19, 22, 24]

    /// For each counted class, the share of its letters given to each form (in `LetterForms` order).
    public var shares: [Int: [Double]]
    public var counts: [Int: Int]

    public init(_ images: ImageSet, rendersPerForm: Int = LetterFormCensus.rendersPerForm) {
        let labels = Set(images.labels).filter { LabelledDataset.letterLabels.contains($0) && !Self.formsLookAlike.contains($0) }.sorted()
        let perClass = Parallel.mapChunks(count: labels.count, chunks: labels.count) { range -> [(Int, [Double], Int)] in
            range.map { position in
                let label = labels[position]
                let references = Self.references(label: label, count: rendersPerForm)
                let indices = images.indices(ofLabel: label)
                var votes = [Int](repeating: 0, count: LetterForms.forms(label: label).count)
                for index in indices {
                    votes[Self.nearestForm(Self.features(images.image(index)), references: references)] += 1
                }
                return (label, votes.map { Double($0) / Double(max(indices.count, 1)) }, indices.count)
            }
        }
        shares = [:]
        counts = [:]
        for (label, share, count) in perClass.flatMap({ $0 }) where count > 0 {
            shares[label] = share
            counts[label] = count
        }
    }

    /// 2x2 means of a 28x28 image: 196 values in 0...255.
    static func features(_ image: ArraySlice<UInt8>) -> [Float] {
        let (base, side) = (image.startIndex, ImageSet.side)
        let half = side / 2
        var out = [Float](repeating: 0, count: half * half)
        for y in 0 ..< half {
            for x in 0 ..< half {
                let i = base + 2 * y * side + 2 * x
                out[y * half + x] = (Float(image[i]) + Float(image[i + 1]) + Float(image[i + side]) + Float(image[i + side + 1])) / 4
            }
        }
        return out
    }

    /// Features of `count` renders of each form of `label`, with the form's index.
    static func references(label: Int, count: Int) -> [(form: Int, features: [Float])] {
        var generator = SeededGenerator(seed: renderSeed &+ UInt64(label))
        var out: [(Int, [Float])] = []
        for (index, form) in LetterForms.forms(label: label).enumerated() {
            for _ in 0 ..< count {
                let image = SyntheticLetters.render(form, aspect: LetterForms.classAspect[label - 1], using: &generator)
                out.append((index, features(image[...])))
            }
        }
        return out
    }

    /// The form most of the `neighbours` nearest references belong to (ties: the nearest's).
    static func nearestForm(_ query: [Float], references: [(form: Int, features: [Float])]) -> Int {
        var best: [(distance: Float, form: Int)] = []
        for reference in references {
            var distance: Float = 0
            for i in 0 ..< query.count {
                let d = query[i] - reference.features[i]
                distance += d * d
            }
            if best.count < neighbours || distance < best[best.count - 1].distance {
                let slot = best.firstIndex { $0.distance > distance } ?? best.count
                best.insert((distance, reference.form), at: slot)
                if best.count > neighbours { best.removeLast() }
            }
        }
        var votes: [Int: Int] = [:]
        for item in best { votes[item.form, default: 0] += 1 }
        let top = votes.values.max() ?? 0
        return best.first { votes[$0.form] == top }?.form ?? 0
    }
}
