/// The side pane while browsing: a test letter beside its reconstruction, with its code.
struct BrowsePanel {
    let state: ExplorerState
    let facts: any ModelFacts
    let tiles: FrameTiles
    let capabilities: TerminalCapabilities

    /// The hints at the bottom, each short enough for the narrow column.
    static let hints = ["←/→: next   [ ]: class", "a key: its class  Tab: plane", "Enter: anchor  M: mark as A"]

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        let style = PanelStyle(capabilities: capabilities)
        guard let entry = state.selectedClass, let index = state.selectedTestIndex else {
            buffer.frame(rect, title: "Browse", style: style.frame, titleStyle: style.title)
            buffer.put("no test \(state.catalog.itemNoun)", x: rect.x + 2, y: rect.y + 2)
            return
        }
        buffer.frame(rect, title: "Browse class '\(entry.name)'", style: style.frame, titleStyle: style.title)
        let inside = rect.interior
        buffer.put("\(state.catalog.singleItemNoun) \(state.browseItem + 1) of \(entry.testIndices.count) · test #\(facts.testSourceIndices[index])",
                   x: inside.x + 1, y: inside.y, limit: inside.width - 1)
        let code = facts.testCode(index)
        // A conditional model's code is the letter's style, encoded with its label.
        let codeText = state.style != nil && state.latentDim <= 2
            ? "style (" + code.map { Format.signed($0) }.joined(separator: ", ") + ") of '\(entry.name)'"
            : state.latentDim <= 2
            ? "mean (" + code.map { Format.signed($0) }.joined(separator: ", ") + ")"
            : "mean " + Format.codeLines(code, dimensions: Array(code.indices), width: inside.width - 6, lines: 1).joined()
        buffer.put(codeText, x: inside.x + 1, y: inside.y + 1, limit: inside.width - 1)
        let blank = [Float](repeating: 0, count: facts.testImage(index).count)
        _ = style.drawPair(("original", facts.testImage(index)), ("reconstruction", tiles.reconstruction ?? blank),
                           in: inside, top: inside.y + 2, reservedBelow: Self.hints.count, into: &buffer)
        for (offset, hint) in Self.hints.enumerated() {
            let y = inside.y + inside.height - Self.hints.count + offset
            guard y > inside.y + 1 else { continue }
            buffer.put(hint, x: inside.x + 1, y: y, style: style.muted, limit: inside.width - 1)
        }
    }
}
