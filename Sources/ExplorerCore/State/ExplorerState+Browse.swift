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

    mutating func browse(_ key: Key) -> ExplorerAction {
        guard let entry = selectedClass else { return .notice("There are no test \(catalog.itemNoun) to browse") }
        let count = entry.testIndices.count
        switch key {
        case .right, .down: browseItem = (browseItem + 1) % count
        case .left, .up: browseItem = (browseItem - 1 + count) % count
        case .bigRight, .bigDown: browseItem = (browseItem + 10) % count
        case .bigLeft, .bigUp: browseItem = ((browseItem - 10) % count + count) % count
        case .character("]"): selectClass((browseClass + 1) % catalog.entries.count)
        case .character("["): selectClass((browseClass - 1 + catalog.entries.count) % catalog.entries.count)
        case .character(let c):
            if let index = catalog.entryIndex(forKey: c) {
                selectClass(index)
            } else if let name = catalog.emptyClassName(forKey: c) {
                return .notice("Class '\(name)' has no test \(catalog.itemNoun) in this data set")
            } else if c.isLetter || c.isNumber {
                return .notice("No class '\(c)' in this data set")
            }
        default: break
        }
        return .none
    }

    public mutating func selectClass(_ index: Int) {
        guard catalog.entries.indices.contains(index) else { return }
        browseClass = index
        browseItem = 0
    }
}
