import Foundation
import Support

/// Finds and loads a data set in a folder, whichever of the supported forms it holds.
public enum DatasetLoader {
    /// Looks for an EMNIST data set as NIST ships it, as IDX (`emnist-<split>-{train,test}-{images-idx3,labels-idx1}-ubyte`,
    /// gzipped or not) or as CSV (`emnist-<split>-{train,test}.csv`): the split named by `emnistSplit`, or
    /// else the first present of letters, digits, balanced, byclass, bymerge and mnist. Failing that, an
    /// MNIST-format set (`train-` and `t10k-` IDX files: MNIST digits, or Fashion-MNIST when the folder's
    /// path says "fashion"), or the `t10k-` files alone: a data set with an empty training split. EMNIST images are transposed to upright; class names come from
    /// `emnist-<split>-mapping.txt` when present, else from NIST's published mapping.
    public static func load(directory: String, emnistSplit: EMNISTSplit? = nil) throws -> LabelledDataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { throw DataError.missingFolder(directory) }
        guard isDirectory.boolValue else { throw DataError.notAFolder(directory) }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        func existing(_ name: String) -> String? {
            [name, name + ".gz"].map(path).first { FileManager.default.fileExists(atPath: $0) }
        }

        func required(_ name: String) throws -> String {
            guard let found = existing(name) else { throw DataError.missingFile(path(name)) }
            return found
        }

        for split in emnistSplit.map({ [$0] }) ?? EMNISTSplit.searchOrder {
            let prefix = split.filePrefix
            let names = { try existing(prefix + "mapping.txt").map(ClassNames.readMapping) ?? split.defaultClassNames }
            if let trainImages = existing(prefix + "train-images-idx3-ubyte") {
                let files = try [trainImages, required(prefix + "train-labels-idx1-ubyte"),
                                 required(prefix + "test-images-idx3-ubyte"), required(prefix + "test-labels-idx1-ubyte")]
                let classNames = try names()
                let (train, test) = try loadSplits({ try idxSet(files[0], labels: files[1], transposed: true) },
                                                   { try idxSet(files[2], labels: files[3], transposed: true) },
                                                   together: try loadsTogether(files[0], files[2]))
                try ClassNames.checkLabels(train, in: classNames, path: files[1])
                try ClassNames.checkLabels(test, in: classNames, path: files[3])
                return LabelledDataset(name: "emnist-\(split.rawValue) (idx)", train: train, test: test, classNames: classNames)
            }
            if let trainCSV = existing(prefix + "train.csv") {
                let testCSV = try required(prefix + "test.csv")
                let classNames = try names()
                let (train, test) = try loadSplits({ try CSVReader.read(trainCSV) }, { try CSVReader.read(testCSV) }, together: false)
                try ClassNames.checkLabels(train, in: classNames, path: trainCSV)
                try ClassNames.checkLabels(test, in: classNames, path: testCSV)
                return LabelledDataset(name: "emnist-\(split.rawValue) (csv)", train: train, test: test, classNames: classNames)
            }
        }
        if let split = emnistSplit { throw DataError.missingFile(path(split.filePrefix + "train-images-idx3-ubyte")) }
        let fashion = directory.lowercased().contains("fashion")
        let (mnistName, mnistClasses) = fashion ? ("fashion-mnist", ClassNames.fashion) : ("mnist", ClassNames.digits)
        if let trainImages = existing("train-images-idx3-ubyte") {
            let files = try [trainImages, required("train-labels-idx1-ubyte"),
                             required("t10k-images-idx3-ubyte"), required("t10k-labels-idx1-ubyte")]
            let (train, test) = try loadSplits({ try idxSet(files[0], labels: files[1], transposed: false) },
                                               { try idxSet(files[2], labels: files[3], transposed: false) },
                                               together: try loadsTogether(files[0], files[2]))
            try ClassNames.checkLabels(train, in: mnistClasses, path: files[1])
            try ClassNames.checkLabels(test, in: mnistClasses, path: files[3])
            return LabelledDataset(name: mnistName, train: train, test: test, classNames: mnistClasses)
        }
        // Only the test split (MNIST's training images are not always to be had): an empty training
        // split, which `DataSelection` fills from the test split's trainable part.
        if let testImages = existing("t10k-images-idx3-ubyte") {
            let labels = try required("t10k-labels-idx1-ubyte")
            let test = try idxSet(testImages, labels: labels, transposed: false)
            try ClassNames.checkLabels(test, in: mnistClasses, path: labels)
            return LabelledDataset(name: mnistName, train: ImageSet(pixels: [], labels: []), test: test,
                                   classNames: mnistClasses)
        }
        throw DataError.noDataSetFound(directory: directory)
    }

    /// Checks that a data set's two image files together fit `IDXReader.maximumDataSetImageBytes`, from
    /// their headers alone; says whether they are small enough to be loaded at the same time (larger
    /// ones are loaded one after the other, so that only one compressed file is in memory at a time).
    private static func loadsTogether(_ trainImages: String, _ testImages: String) throws -> Bool {
        guard let train = IDXReader.peekImageFileBytes(trainImages), let test = IDXReader.peekImageFileBytes(testImages) else {
            return false   // unknown: one after the other; each reader refuses what it must
        }
        guard train + test <= IDXReader.maximumDataSetImageBytes else {
            throw DataError.tooLarge(path: "\(trainImages) with \(testImages)", limit: IDXReader.maximumDataSetImageBytes)
        }
        return train + test <= parallelLoadBytes
    }

    /// Splits up to this size together are read on two threads.
    static let parallelLoadBytes = 256 << 20

    private static func idxSet(_ imagesPath: String, labels labelsPath: String, transposed: Bool) throws -> ImageSet {
        let images = try IDXReader.readImages(imagesPath, transposed: transposed)
        let labels = try IDXReader.readLabels(labelsPath)
        guard images.count == labels.count else { throw DataError.countMismatch(images: images.count, labels: labels.count) }
        guard images.count > 0 else { throw DataError.empty(imagesPath) }
        return ImageSet(pixels: images.pixels, labels: labels)
    }

    /// Reads the train and test splits, on two threads when `together`; the first error wins.
    private static func loadSplits(_ train: @escaping @Sendable () throws -> ImageSet,
                                   _ test: @escaping @Sendable () throws -> ImageSet, together: Bool) throws -> (ImageSet, ImageSet) {
        guard together else { return (try train(), try test()) }
        let results = Parallel.mapChunks(count: 2, chunks: 2) { range -> Result<ImageSet, Error> in
            Result { try (range.lowerBound == 0 ? train : test)() }
        }
        return (try results[0].get(), try results[1].get())
    }
}
