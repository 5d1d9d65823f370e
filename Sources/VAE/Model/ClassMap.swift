import LetterData
import Support

/// How a data set's labels map onto a conditional model's classes: by name, so that a model trained on
/// the letters a...z scores a data set restricted to "aeiou", or one read from CSV rather than IDX,
/// with each image given the one-hot input the model learnt for its letter. For an unconditional model
/// the map is empty and gives no classes.
public struct ClassMap: Sendable {
    /// The class index (0..<C, the model's order) of each label of the data set.
    private let indexOfLabel: [Int: Int32]
    /// Whether the model reads classes at all.
    public let isConditional: Bool

    /// The map of `dataset`'s labels onto `model`'s classes. Throws `ModelError.unknownClass` naming
    /// the first class of the data (train, validation or test) the model does not have.
    public init(model: VAEModel, dataset: LabelledDataset) throws {
        isConditional = model.configuration.isConditional
        guard isConditional else { indexOfLabel = [:]; return }
        let position = Dictionary(model.classNames.enumerated().map { ($0.element, Int32($0.offset)) }) { first, _ in first }
        // Every named class of the data the model knows, so that images of the data set's other parts
        // (the explorer's letters) map too; a class with images that the model lacks is refused.
        var map: [Int: Int32] = [:]
        for (label, name) in dataset.classNames { if let index = position[name] { map[label] = index } }
        let labels = Set(dataset.labelsPresent).union(dataset.validation?.labels ?? [])
        for label in labels.sorted() where map[label] == nil {
            let name = dataset.className(label)
            guard let index = position[name] else { throw ModelError.unknownClass(name, modelClasses: model.classNames) }
            map[label] = index
        }
        indexOfLabel = map
    }

    /// The class index of every image of `images` (whose labels are the data set's), or nil for an
    /// unconditional model: what `TrainingStep.loadBatch` and `Inference` take.
    public func indices(of images: ImageSet) -> [Int32]? {
        guard isConditional else { return nil }
        return images.labels.map { label in
            guard let index = indexOfLabel[label] else { preconditionFailure("label \(label) is not in the data set the map was made for") }
            return index
        }
    }

    /// The data set's label of the model's class `y` (nil when the data does not name that class).
    public func label(ofClass y: Int32) -> Int? {
        indexOfLabel.filter { $0.value == y }.keys.min()
    }

    /// Names for a conditional model's classes when nothing better is known (a file without class
    /// names, a model made in code): the letters a...z for 26 classes, the class_count setting's default,
    /// else the indices "0", "1", ....
    public static func defaultNames(count: Int) -> [String] {
        if count == LabelledDataset.letterLabels.count {
            return LabelledDataset.letterLabels.map { LabelledDataset.letterClassNames[$0]! }
        }
        return (0 ..< count).map(String.init)
    }
}
