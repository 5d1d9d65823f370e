import VAE

/// The classes of the test set in display order, with the test images of each: what browsing steps through.
public struct ClassCatalog: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var label: Int
        public var name: String
        /// Indices into the test set, in order.
        public var testIndices: [Int]

        public init(label: Int, name: String, testIndices: [Int]) {
            self.label = label
            self.name = name
            self.testIndices = testIndices
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public init(dataset: LabelledDataset) {
        entries = dataset.labelsPresent.map { label in
            Entry(label: label, name: dataset.className(label), testIndices: dataset.test.indices(ofLabel: label))
        }.filter { !$0.testIndices.isEmpty }
    }

    /// The class a key selects: a class named by that character (letters, digits), else one whose
    /// name starts with it (e.g. 'b' for "Bag").
    public func entryIndex(forKey character: Character) -> Int? {
        let key = String(character).lowercased()
        return entries.firstIndex { $0.name.lowercased() == key }
            ?? entries.firstIndex { $0.name.lowercased().hasPrefix(key) }
    }
}
