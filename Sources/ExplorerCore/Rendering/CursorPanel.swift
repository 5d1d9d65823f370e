import LetterData


/// The side pane on the plane: where the cursor is, the letter decoded there beside the test letter
/// whose code is nearest (an example next to the generated one), one verdict (the class the kNN
/// votes for, with the vote as its confidence), point A, and what the hidden dimensions are held at.
struct CursorPanel {
    let state: ExplorerState
    let facts: any ModelFacts
    let tiles: FrameTiles
    let capabilities: TerminalCapabilities

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        let style = PanelStyle(capabilities: capabilities)
        buffer.frame(rect, title: "Decoded at cursor", style: style.frame, titleStyle: style.title)
        let inside = rect.interior
        let plane = state.plane
        let coordinates = "\(plane.xLabel) \(Format.signed(state.cursor.x))  \(plane.yLabel) \(Format.signed(state.cursor.y))"
        buffer.put(state.latentDim == 1 ? "z1 \(Format.signed(state.cursor.x))" : coordinates, x: inside.x + 1, y: inside.y, limit: inside.width - 1)

        let blank = [Float](repeating: 0, count: ImageSet.pixelCount)
        // The example beside the decoded letter is the nearest test letter of the class the verdict
        // names, so that the picture and "looks like" agree; the nearest of any class is named below
        // when it is of another class.
        let nearest = tiles.example ?? tiles.nearest
        let nearestImage = nearest.map { facts.testImage($0.index) } ?? blank
        // "nearest real" only where the test images are real handwriting.
        let kind = facts.testImagesAreReal ? "real" : "test"
        let noun = state.catalog.singleItemNoun
        var y = style.drawPair((captions: ["decoded"], image: tiles.cursorLetter ?? blank),
                               (captions: ["nearest \(kind) \(noun)", "nearest \(noun)", "nearest"], image: nearestImage),
                               in: inside, top: inside.y + 1, reservedBelow: 3, into: &buffer)
        var lines: [(String, CellStyle)] = []
        let verdict = verdictLine(width: inside.width - 1)
        lines.append((verdict, CellStyle(bold: true)))
        if let nearest {
            let name = state.catalog.name(ofLabel: facts.test.labels[nearest.index])
            lines.append(("nearest '\(name)' #\(facts.testSourceIndices[nearest.index]), distance \(Format.fixed(nearest.distance))", style.muted))
        }
        // A nearer letter of another class: named after the anchor's values, where there is room.
        var nearerOther: String?
        if let example = tiles.example, let any = tiles.nearest, facts.test.labels[any.index] != facts.test.labels[example.index] {
            nearerOther = "nearest of all: '\(state.catalog.name(ofLabel: facts.test.labels[any.index]))' #\(facts.testSourceIndices[any.index]), \(Format.fixed(any.distance))"
        }
        if state.pointA != nil { lines.append(("A: \(state.pointAName)", .plain)) }
        if state.showsPrincipalPlane {
            lines.append((state.isAnchored ? "PCA plane through \(state.anchorName)" : "plane: PCA of the test codes", style.muted))
        } else if state.latentDim > 2 {
            lines.append(("others at \(state.anchorName)\(state.isAnchored ? ":" : " (0)")", style.muted))
        }
        for (text, lineStyle) in lines where y < inside.y + inside.height {
            buffer.put(text, x: inside.x + 1, y: y, style: lineStyle, limit: inside.width - 1)
            y += 1
        }
        if !state.showsPrincipalPlane && state.latentDim > 2 && state.isAnchored {
            let hidden = (0 ..< state.latentDim).filter { $0 != state.xDimension && $0 != state.yDimension }
            // One row stays for the class centres' line below, unless it is the only row left.
            let rows = inside.y + inside.height - y
            for line in Format.codeLines(state.anchor, dimensions: hidden, width: inside.width - 2, lines: rows > 1 ? rows - 1 : rows) {
                buffer.put(line, x: inside.x + 2, y: y, limit: inside.width - 2)
                y += 1
            }
        }
        if let nearerOther, y < inside.y + inside.height {
            buffer.put(nearerOther, x: inside.x + 1, y: y, style: style.muted, limit: inside.width - 1)
            y += 1
        }
        // Where a row is left: how far the class centres are, nearest first (g and a letter go to one).
        if y < inside.y + inside.height, let centres = centreLine(width: inside.width - 1) {
            buffer.put(centres, x: inside.x + 1, y: y, style: style.muted, limit: inside.width - 1)
            y += 1
        }
        if let neighbourhood = tiles.neighbourhood {
            // A tall pane: the nearest test letters and every class centre's distance, with bars.
            let top = y + 1
            NeighbourhoodPanel(state: state, facts: facts, neighbourhood: neighbourhood, capabilities: capabilities)
                .draw(into: &buffer, rect: Rect(x: inside.x + 1, y: top, width: inside.width - 2, height: inside.y + inside.height - top))
        }
    }

    /// One answer to "what is this?": the class most of the nearest reference codes belong to, and how
    /// many of them agree, e.g. "looks like: e (4 of 5 nearest)".
    private func verdictLine(width: Int) -> String {
        guard let vote = tiles.vote else { return "looks like: ?" }
        let name = state.catalog.name(ofLabel: vote.label)
        let long = "looks like: \(name) (\(vote.votes) of \(vote.of) nearest)"
        return long.count <= width ? long : "looks like: \(name) (\(vote.votes) of \(vote.of))"
    }

    /// How far the cursor is from each class's centre (its mean test code), nearest first, as many as
    /// fit: "centres: a 0.42 o 0.88 e 1.10".
    private func centreLine(width: Int) -> String? {
        let distances = facts.classCentres.distances(from: state.cursorPoint)
        guard !distances.isEmpty else { return nil }
        var line = "centres:"
        for (label, distance) in distances {
            let part = " \(state.catalog.name(ofLabel: label)) \(Format.fixed(distance))"
            guard line.count + part.count <= width else { break }
            line += part
        }
        return line
    }
}
