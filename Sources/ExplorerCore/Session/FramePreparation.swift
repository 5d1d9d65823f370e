/// Works out a frame's `FrameTiles` before it is drawn: the one step that decodes, fills the views'
/// caches and hands batches to their decode workers. It asks for exactly what the panes of `layout`
/// will show, through the panes' own point functions, so preparation and drawing cannot disagree.
public enum FramePreparation {
    /// The tiles of the focused view for a frame of `layout` (the plane's only when it is not split
    /// into `--compare` panes, which `comparedPanes` prepares).
    /// `writer` writes the word line (a conditional view: `view` itself, or, comparing a plain model
    /// with a conditional one, the conditional one).
    public static func tiles(state: ExplorerState, view: ModelView, layout: Layout, comparing: Bool = false,
                             writer: ModelView? = nil) -> FrameTiles {
        var tiles = FrameTiles()
        // A conditional model draws the style plane's letter everywhere but in the alphabet and the word.
        let letter = letter(state, view)
        func classes(_ points: [Float]) -> [Int32]? { view.classes(letter, count: points.count / view.latentDim) }
        if state.showsTraversal {
            let points = TraversalPane.points(state: state, facts: view, rect: layout.plane)
            tiles.traversal = view.decodeBatch(points, slot: .traversal, classes: classes(points))
        } else if !comparing {
            planeTiles(state: state, view: view, rect: layout.plane, into: &tiles)
        }
        if let strip = layout.strip, state.wordLine.isShown {
            let writer = writer ?? view
            if let word = WordLinePane.points(state: state, rect: strip), writer.isConditional, writer.latentDim == state.latentDim {
                tiles.word = writer.decodeBatch(word.points, slot: .word, classes: word.classes)
            }
        } else if let strip = layout.strip, let points = InterpolationPane.points(state: state, facts: view, rect: strip) {
            tiles.strip = view.decodeBatch(points, slot: .strip, classes: classes(points))
        }
        tiles.drawing = view.read(state.drawing)
        switch state.mode {
        case .draw: break   // the side pane shows the drawing's reading
        case .plane:
            let point = state.cursorPoint
            if view.isConditional, let alphabet = StylePanel.points(state: state) {
                tiles.alphabet = view.decodeBatch(alphabet.points, slot: .alphabet, classes: alphabet.classes)
            }
            tiles.cursorLetter = view.decode(point, letter: letter)
            tiles.nearest = view.nearestTestLetter(point)
            tiles.vote = view.classVote(point)
            tiles.example = tiles.vote.flatMap { view.nearestTestLetter(point, label: $0.label) }
            if layout.side.height - 2 >= Layout.roomyPaneHeight {
                tiles.neighbourhood = Neighbourhood.measure(point, codes: view.testCodes, labels: view.test.labels, dimension: view.latentDim)
            }
        case .browse:
            tiles.reconstruction = state.selectedTestIndex.map(view.reconstruction)
        }
        return tiles
    }

    /// The panes of `--compare` inside the plane's `rect`: each model's own state, tiles and heading.
    public static func comparedPanes(_ compared: ComparedModels, state: ExplorerState, rect: Rect) -> [ComparedPane] {
        zip(compared.entries.indices, ComparePanes.rects(count: compared.entries.count, in: rect)).map { index, paneRect in
            let view = compared.entries[index].view
            let paneState = compared.paneState(index, from: state)
            var tiles = FrameTiles()
            planeTiles(state: paneState, view: view, rect: paneRect, into: &tiles)
            tiles.drawing = view.read(state.drawing)   // each model reads the drawing for its own pane's marker
            return ComparedPane(state: paneState, facts: view, tiles: tiles, heading: compared.heading(index, drawing: paneState.style?.letterName))
        }
    }

    /// The plane pane in `rect`: its decoded grid, or the projected test codes when the scatter shows.
    private static func planeTiles(state: ExplorerState, view: ModelView, rect: Rect, into tiles: inout FrameTiles) {
        if state.showsScatter {
            tiles.scatter = view.projectedTestCodes(on: state.plane)
        } else {
            tiles.grid = view.decodeGrid(PlaneGeometry(area: rect.interior, state: state), plane: state.plane, letter: letter(state, view))
        }
    }

    /// The class a conditional view draws: the style plane's letter (nil for an unconditional view).
    private static func letter(_ state: ExplorerState, _ view: ModelView) -> Int32? {
        guard view.isConditional else { return nil }
        return Int32(state.style?.letter ?? 0)
    }
}
