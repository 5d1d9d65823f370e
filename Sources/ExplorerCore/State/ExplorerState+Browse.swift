/// Browsing the test letters class by class.
extension ExplorerState {
    public var selectedClass: ClassCatalog.Entry? {
        catalog.entries.indices.contains(browseClass) ? catalog.entries[browseClass] : nil
    }

    /// The test-set index of the letter being browsed.
    public var selectedTestIndex: Int? {
        guard let entry = selectedClass, entry.testIndices.indices.contains(browseItem) else { return nil }
        return entry.testIndices[browseItem]
    }

    /// A browsing command: step through the class's letters or the classes, or pick the class of `key`.
    mutating func performBrowse(_ command: KeyCommand, key: Key) -> ExplorerAction {
        guard let entry = selectedClass else { return .notice("There are no test \(catalog.itemNoun) to browse") }
        let (count, classes) = (entry.testIndices.count, catalog.entries.count)
        switch command {
        case .browseStep(let offset): browseItem = ((browseItem + offset) % count + count) % count
        case .browseClassStep(let offset): selectClass(((browseClass + offset) % classes + classes) % classes)
        default:
            guard case .character(let c) = key else { return .none }
            if let index = catalog.entryIndex(forKey: c) {
                selectClass(index)
            } else if let name = catalog.emptyClassName(forKey: c) {
                return .notice("Class '\(name)' has no test \(catalog.itemNoun) in this data set")
            } else if c.isLetter || c.isNumber {
                return .notice("No class '\(c)' in this data set")
            }
        }
        return .none
    }

    public mutating func selectClass(_ index: Int) {
        guard catalog.entries.indices.contains(index) else { return }
        browseClass = index
        browseItem = 0
    }
}
