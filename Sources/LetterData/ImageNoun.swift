/// What a data set's images are called in messages and picture titles: "letters" for classes that
/// are single letters (EMNIST letters, the synthetic letters), "digits" for 0-9 (MNIST), "items" for
/// named classes (Fashion-MNIST's "Coat", "Bag"...), "images" when the classes are unknown.
public enum ImageNoun: String, Sendable {
    case letters, digits, items, images

    /// From the class names; without them (weight files of old or untrained models), from words of the
    /// data set's name ("letters", "fashion", "mnist").
    public init(classNames: [String], datasetName: String = "") {
        if classNames.isEmpty {
            let name = datasetName.lowercased()
            if name.contains("letters") {
                self = .letters
            } else if name.contains("fashion") {
                self = .items
            } else if name.contains("mnist") || name.contains("digits") {
                self = .digits
            } else {
                self = .images
            }
        } else if classNames.allSatisfy({ $0.count == 1 && $0.first!.isLetter }) {
            self = .letters
        } else if classNames.allSatisfy({ $0.count == 1 && $0.first!.isNumber }) {
            self = .digits
        } else {
            self = .items
        }
    }

    public var plural: String { rawValue }

    /// "letter", "digit", "item", "image".
    public var singular: String { String(rawValue.dropLast()) }
}
