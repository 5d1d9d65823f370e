import LetterData


/// The classes of the test set in display order, with the test images of each: what browsing steps
/// through, what the scatter colours and what its legend names.
public struct ClassCatalog: Sendable, Equatable {
    /// One class: its label, its name, its test letters and the symbol that stands for it without colour.
    public struct Entry: Sendable, Equatable {
        public var label: Int
        public var name: String
        /// Indices into the test set, in order.
        public var testIndices: [Int]
        /// One character that stands for the class where colour cannot: its name when every name is
        /// one character (letters, digits), else 0-9 then a-z by position.
        public var symbol: Character

        public init(label: Int, name: String, testIndices: [Int], symbol: Character? = nil) {
            self.label = label
            self.name = name
            self.testIndices = testIndices
            self.symbol = symbol ?? name.first ?? "?"
        }
    }

    public var entries: [Entry]
    /// Names of classes the data set knows that have no test images here (e.g. t-z in a partial copy).
    public var emptyClassNames: [String]

    public init(entries: [Entry], emptyClassNames: [String] = []) {
        self.entries = Self.withSymbols(entries)
        self.emptyClassNames = emptyClassNames
    }

    public init(dataset: LabelledDataset) {
        let labels = Set(dataset.labelsPresent).union(dataset.classNames.keys).sorted()
        let all = labels.map { Entry(label: $0, name: dataset.className($0), testIndices: dataset.test.indices(ofLabel: $0)) }
        self.init(entries: all.filter { !$0.testIndices.isEmpty }, emptyClassNames: all.filter { $0.testIndices.isEmpty }.map(\.name))
    }

    private static let fallbackSymbols = Array("0123456789abcdefghijklmnopqrstuvwxyz")

    private static func withSymbols(_ entries: [Entry]) -> [Entry] {
        let names = entries.map(\.name)
        if names.allSatisfy({ $0.count == 1 }) && Set(names).count == names.count { return entries }
        return entries.enumerated().map { index, entry in
            var entry = entry
            entry.symbol = index < fallbackSymbols.count ? fallbackSymbols[index] : "*"
            return entry
        }
    }

    /// "letters" when every class is a letter of the alphabet, else "images" (Fashion-MNIST, digits).
    public var itemNoun: String { holdsLetters ? "letters" : "images" }

    /// "letter" or "image", for one of them.
    public var singleItemNoun: String { holdsLetters ? "letter" : "image" }

    private var holdsLetters: Bool {
        let names = entries.map(\.name) + emptyClassNames
        return !names.isEmpty && names.allSatisfy { $0.count == 1 && $0.first!.isLetter }
    }

    /// The class a key selects: a class named by that character (letters, digits), else one whose
    /// name starts with it (e.g. 'b' for "Bag").
    public func entryIndex(forKey character: Character) -> Int? {
        let key = String(character).lowercased()
        return entries.firstIndex { $0.name.lowercased() == key }
            ?? entries.firstIndex { $0.name.lowercased().hasPrefix(key) }
    }

    /// The name of a known class without test images that a key names, if any.
    public func emptyClassName(forKey character: Character) -> String? {
        let key = String(character).lowercased()
        return emptyClassNames.first { $0.lowercased() == key } ?? emptyClassNames.first { $0.lowercased().hasPrefix(key) }
    }

    /// The catalog position of the class with `label`.
    public func entryIndex(ofLabel label: Int) -> Int? { entries.firstIndex { $0.label == label } }

    /// The name of the class with `label` (the label itself, written out, for one not in the catalog).
    public func name(ofLabel label: Int) -> String { entryIndex(ofLabel: label).map { entries[$0].name } ?? String(label) }
}
