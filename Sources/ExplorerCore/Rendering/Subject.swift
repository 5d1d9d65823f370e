/// The latent code the interpolation strip runs to and the traversal sweeps: the browsed letter's
/// code while browsing, else the code at the cursor.
struct Subject {
    let code: [Float]
    let name: String

    init(state: ExplorerState, facts: any ModelFacts) {
        if state.mode == .browse, let index = state.selectedTestIndex, let entry = state.selectedClass {
            code = facts.testCode(index)
            name = "\(state.catalog.singleItemNoun) '\(entry.name)' #\(facts.testSourceIndices[index])"
        } else {
            code = state.cursorPoint
            name = "the cursor"
        }
    }
}
