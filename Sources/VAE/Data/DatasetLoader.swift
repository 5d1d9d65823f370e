import Foundation

/// Finds and loads a data set in a folder, whichever of the supported forms it holds.
public enum DatasetLoader {
    /// Looks, in this order, for EMNIST letters as IDX (`emnist-letters-{train,test}-{images-idx3,labels-idx1}-ubyte`,
    /// gzipped or not), EMNIST letters as CSV (`emnist-letters-{train,test}.csv`), and an MNIST-format set
    /// (`train-` and `t10k-` IDX files: MNIST digits, or Fashion-MNIST when the folder's path says "fashion").
    /// EMNIST images are transposed to upright; class names come from `emnist-letters-mapping.txt` when present.
    public static func load(directory: String) throws -> LabelledDataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError.missingFile(directory)
        }
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        func existing(_ name: String) -> String? {
            [name, name + ".gz"].map(path).first { FileManager.default.fileExists(atPath: $0) }
        }

        func required(_ name: String) throws -> String {
            guard let found = existing(name) else { throw DataError.missingFile(path(name)) }
            return found
        }

        let letterNames = try existing("emnist-letters-mapping.txt").map(ClassNames.readMapping) ?? LabelledDataset.letterClassNames
        if let trainImages = existing("emnist-letters-train-images-idx3-ubyte") {
            let files = try [trainImages, required("emnist-letters-train-labels-idx1-ubyte"),
                             required("emnist-letters-test-images-idx3-ubyte"), required("emnist-letters-test-labels-idx1-ubyte")]
            let (train, test) = try loadSplits({ try idxSet(files[0], labels: files[1], transposed: true) },
                                               { try idxSet(files[2], labels: files[3], transposed: true) })
            return LabelledDataset(name: "emnist-letters (idx)", train: train, test: test, classNames: letterNames)
        }
        if let trainCSV = existing("emnist-letters-train.csv") {
            let testCSV = try required("emnist-letters-test.csv")
            let (train, test) = try loadSplits({ try CSVReader.read(trainCSV) }, { try CSVReader.read(testCSV) })
            return LabelledDataset(name: "emnist-letters (csv)", train: train, test: test, classNames: letterNames)
        }
        if let trainImages = existing("train-images-idx3-ubyte") {
            let files = try [trainImages, required("train-labels-idx1-ubyte"),
                             required("t10k-images-idx3-ubyte"), required("t10k-labels-idx1-ubyte")]
            let (train, test) = try loadSplits({ try idxSet(files[0], labels: files[1], transposed: false) },
                                               { try idxSet(files[2], labels: files[3], transposed: false) })
            let fashion = directory.lowercased().contains("fashion")
            return LabelledDataset(name: fashion ? "fashion-mnist" : "mnist", train: train, test: test,
                                   classNames: fashion ? ClassNames.fashion : ClassNames.digits)
        }
        throw DataError.noDataSetFound(directory: directory)
    }

    private static func idxSet(_ imagesPath: String, labels labelsPath: String, transposed: Bool) throws -> ImageSet {
        let images = try IDXReader.readImages(imagesPath, transposed: transposed)
        let labels = try IDXReader.readLabels(labelsPath)
        guard images.count == labels.count else { throw DataError.countMismatch(images: images.count, labels: labels.count) }
        guard images.count > 0 else { throw DataError.empty(imagesPath) }
        return ImageSet(pixels: images.pixels, labels: labels)
    }

    /// Reads the train and test splits on two threads; the first error wins.
    private static func loadSplits(_ train: @escaping @Sendable () throws -> ImageSet,
                                   _ test: @escaping @Sendable () throws -> ImageSet) throws -> (ImageSet, ImageSet) {
        let results = Parallel.mapChunks(count: 2, chunks: 2) { range -> Result<ImageSet, Error> in
            Result { try (range.lowerBound == 0 ? train : test)() }
        }
        return (try results[0].get(), try results[1].get())
    }
}
