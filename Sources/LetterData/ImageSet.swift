/// A labelled collection of 28x28 grey images, stored the way they arrive: one byte per pixel.
///
/// Pixels are row-major and upright (EMNIST's transposed files are fixed on load), 0 is background
/// and 255 is full ink. Keeping bytes rather than floats costs 784 bytes an image (70 MB for the
/// 88,800 EMNIST letters); training converts one mini-batch at a time.
public struct ImageSet: Sendable {
    public static let side = 28
    public static let pixelCount = side * side
    /// The geometry every data set's images have; a model must take it to train or be scored on them.
    public static let geometry = ImageGeometry.letters

    /// `count * 784` bytes; image `i` occupies `pixels[i*784 ..< (i+1)*784]`.
    public private(set) var pixels: [UInt8]
    /// One label per image, in the data set's own numbering (EMNIST letters: 1...26, MNIST: 0...9).
    public private(set) var labels: [Int]

    public var count: Int { labels.count }

    /// EMNIST stores each image transposed (column by column). Offset `p` of a stored image holds the
    /// upright image's pixel at `transposedOffset(p)`, and the other way round: a transpose is its own
    /// inverse. The one place the orientation is written down; readers and writers go through it.
    @inline(__always)
    static func transposedOffset(_ p: Int) -> Int { (p % side) * side + p / side }

    /// Copies one image (`pixelCount` bytes), transposing it.
    static func copyTransposed(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>) {
        for p in 0 ..< pixelCount { target[transposedOffset(p)] = source[p] }
    }

    public init(pixels: [UInt8], labels: [Int]) {
        precondition(pixels.count == labels.count * ImageSet.pixelCount,
                     "pixel bytes must be 784 per label")
        self.pixels = pixels
        self.labels = labels
    }

    /// The 784 bytes of image `index`.
    public func image(_ index: Int) -> ArraySlice<UInt8> {
        let start = index * ImageSet.pixelCount
        return pixels[start ..< start + ImageSet.pixelCount]
    }

    /// The images whose label is in `keep`, in their original order.
    public func filtered(labels keep: Set<Int>) -> ImageSet {
        subset(labels.indices.filter { keep.contains(labels[$0]) })
    }

    /// The first `limit` images (all of them when there are fewer).
    public func prefix(_ limit: Int) -> ImageSet {
        let n = min(limit, count)
        return ImageSet(pixels: Array(pixels[0 ..< n * ImageSet.pixelCount]), labels: Array(labels[0 ..< n]))
    }

    /// Indices of the images with the given label, in order.
    public func indices(ofLabel label: Int) -> [Int] {
        labels.indices.filter { labels[$0] == label }
    }
}

/// A data set as the program uses it: a training split, a test split and the name of each class.
public struct LabelledDataset: Sendable {
    /// Where the data came from, for weight metadata and messages (e.g. "emnist-letters (idx)").
    public var name: String
    public var train: ImageSet
    public var test: ImageSet
    /// Label -> display name ("a" for EMNIST letter 1, "Trouser" for Fashion-MNIST 1).
    public var classNames: [Int: String]

    /// Images set aside from training to choose the epoch, when the data set brings its own (the real
    /// letters' validation part, `TestPartition`); otherwise the trainer holds out part of `train`.
    public var validation: ImageSet?

    /// Where the splits came from when that is unusual (a folder holding only a test split, trained on
    /// outside its held-out quarter): said in the output and kept in weight metadata as `data_note`.
    public var note: String?

    public init(name: String, train: ImageSet, test: ImageSet, classNames: [Int: String], validation: ImageSet? = nil,
                note: String? = nil) {
        self.name = name
        self.train = train
        self.test = test
        self.classNames = classNames
        self.validation = validation
        self.note = note
    }

    /// The labels that occur, sorted.
    public var labelsPresent: [Int] {
        Array(Set(train.labels).union(test.labels)).sorted()
    }

    public func className(_ label: Int) -> String {
        classNames[label] ?? String(label)
    }

    /// Keeps only the classes whose display name is one of `names` (e.g. the vowels "aeiou").
    public func restricted(toClassNames names: [String]) throws -> LabelledDataset {
        var keep = Set<Int>()
        for wanted in names {
            guard let label = classNames.first(where: { $0.value.lowercased() == wanted.lowercased() })?.key else {
                throw DataError.unknownClass(wanted, available: labelsPresent.map(className))
            }
            keep.insert(label)
        }
        return LabelledDataset(name: name, train: train.filtered(labels: keep), test: test.filtered(labels: keep),
                               classNames: classNames, validation: validation?.filtered(labels: keep), note: note)
    }

    /// EMNIST letters' labels: a...z, upper and lower case merged, numbered from 1.
    public static let letterLabels = 1 ... 26

    /// Images in EMNIST letters' training and test splits as NIST's IDX files hold them.
    public static let emnistLettersIDXSizes = (train: 124_800, test: 20_800)
    /// Images in the popular CSV export of EMNIST letters; the built-in synthetic letters match it.
    public static let emnistLettersCSVSizes = (train: 88_800, test: 14_800)

    /// The lower-case letters a...z as EMNIST letters numbers them (`letterLabels`).
    public static let letterClassNames: [Int: String] = Dictionary(
        uniqueKeysWithValues: letterLabels.map { ($0, String(UnicodeScalar(UInt8(96 + $0)))) })
}
