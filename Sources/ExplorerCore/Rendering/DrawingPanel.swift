import LetterData
import VAE

/// The side pane in draw mode: the drawing as the model takes it (prepared as EMNIST's letters were)
/// beside how the model redraws it, one verdict (`looks like: a (4 of 5)`: the vote of the nearest test
/// codes; a conditional model's own most likely letter), the nearest test letters, and its code.
struct DrawingPanel {
    let state: ExplorerState
    let facts: any ModelFacts
    let tiles: FrameTiles
    let capabilities: TerminalCapabilities

    /// How the drawing's code is marked on the plane and the scatter.
    static let marker: Character = "✎"

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        let style = PanelStyle(capabilities: capabilities)
        buffer.frame(rect, title: "Your drawing", style: style.frame, titleStyle: style.title)
        let inside = rect.interior
        guard let drawing = tiles.drawing else {
            let text = state.drawing.isEmpty ? "Draw a letter on the canvas: the model reads it as you draw."
                : "Too faint to read: draw a stronger stroke."
            for (offset, line) in TextFit.wrap(text, to: inside.width - 2).enumerated() where offset < inside.height {
                buffer.put(line, x: inside.x + 1, y: inside.y + offset, style: style.muted, limit: inside.width - 1)
            }
            return
        }
        let reading = drawing.reading
        var y = style.drawPair((captions: ["prepared"], image: drawing.prepared.map { Float($0) / 255 }),
                               (captions: ["redrawn by the model", "redrawn", "model"], image: reading.reconstruction),
                               in: inside, top: inside.y, reservedBelow: 6, into: &buffer)
        func line(_ text: String, _ lineStyle: CellStyle = .plain) {
            guard y < inside.y + inside.height else { return }
            buffer.put(text, x: inside.x + 1, y: y, style: lineStyle, limit: inside.width - 1)
            y += 1
        }
        line(PanelStyle.caption(verdictLines(reading), width: inside.width - 1), CellStyle(bold: true))
        if reading.modelClass != nil { line("(the model's own most likely)", style.muted) }
        if !reading.nearest.isEmpty {
            line("nearest test \(state.catalog.itemNoun):", style.muted)
            y = drawNearest(reading.nearest, in: inside, top: y, into: &buffer)
        }
        line("-ELBO \(Format.fixed(Float(reading.negativeELBO), digits: 1)) nats", style.muted)
        let code = Format.codeLines(reading.mean, dimensions: Array(0 ..< reading.mean.count), width: inside.width - 2,
                                    lines: max(0, min(2, inside.y + inside.height - y)))
        for text in code { line(text, style.muted) }
    }

    /// The verdict, longest first: a conditional model's own most likely letter (said on the next line),
    /// else the test codes' vote.
    private func verdictLines(_ reading: LetterReader.Reading) -> [String] {
        if let own = reading.modelClass {
            // A conditional model's generative classifier: argmax over classes of its bound on log p(x | y).
            let names = facts.classNames
            return ["looks like: \(names.indices.contains(Int(own)) ? names[Int(own)] : String(own))"]
        }
        guard let vote = reading.verdict else { return ["looks like: ?"] }
        let name = state.catalog.name(ofLabel: vote.label)
        return ["looks like: \(name) (\(vote.votes) of \(vote.of) nearest)", "looks like: \(name) (\(vote.votes) of \(vote.of))"]
    }

    /// The nearest test letters as small pictures, their classes and distances under them; returns the row below.
    private func drawNearest(_ nearest: [LetterReader.Neighbour], in inside: Rect, top: Int, into buffer: inout CellBuffer) -> Int {
        let count = nearest.count
        let width = min(ImageSet.side / 2, max(1, (inside.width - 1 - (count - 1)) / count))
        let height = max(1, (width + 1) / 2)
        guard top + height + 1 < inside.y + inside.height else { return top }
        for (slot, neighbour) in nearest.enumerated() {
            let x = inside.x + 1 + slot * (width + 1)
            PixelArt.draw(facts.testImage(neighbour.index), side: ImageSet.side, into: &buffer,
                          rect: Rect(x: x, y: top, width: width, height: height), style: capabilities.pixels)
            buffer.put(state.catalog.name(ofLabel: neighbour.label), x: x, y: top + height, limit: width)
        }
        return top + height + 1
    }
}
