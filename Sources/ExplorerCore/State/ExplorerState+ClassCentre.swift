extension ExplorerState {
    /// The key after `g`: a class's key goes to its centre (the caller knows the codes); anything else
    /// says why nothing moved.
    mutating func classCentre(for key: Key) -> ExplorerAction {
        awaitsClassCentre = false
        guard case .character(let character) = key else { return .none }
        if let index = catalog.entryIndex(forKey: character) { return .goToClassCentre(label: catalog.entries[index].label) }
        if let empty = catalog.emptyClassName(forKey: character) {
            return .notice("'\(empty)' has no test \(catalog.itemNoun): it has no centre")
        }
        return .notice("no class '\(character)': g and a class's key go to its centre")
    }
}
