/// Works out a frame's `FrameTiles` before it is drawn: the one step that decodes, fills the views'
/// caches and hands batches to their decode workers. It asks for exactly what the panes of `layout`
/// will show, through the panes' own point functions, so preparation and drawing cannot disagree.
public enum FramePreparation {
    /// The tiles of the focused view for a frame of `layout` (the plane's only when it is not split
    /// into `--compare` panes, which `comparedPanes` prepares).
    public static func tiles(state: ExplorerState, view: ModelView, layout: Layout, comparing: Bool = false) -> FrameTiles {
        var tiles = FrameTiles()
        if state.showsTraversal {
            tiles.traversal = view.decodeBatch(TraversalPane.points(state: state, facts: view, rect: layout.plane), slot: .traversal)
        } else if !comparing {
            planeTiles(state: state, view: view, rect: layout.plane, into: &tiles)
        }
        if let strip = layout.strip, let points = InterpolationPane.points(state: state, facts: view, rect: strip) {
            tiles.strip = view.decodeBatch(points, slot: .strip)
        }
        switch state.mode {
        case .plane:
            let point = state.cursorPoint
            tiles.cursorLetter = view.decode(point)
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
            return ComparedPane(state: paneState, facts: view, tiles: tiles, heading: compared.heading(index))
        }
    }

    /// The plane pane in `rect`: its decoded grid, or the projected test codes when the scatter shows.
    private static func planeTiles(state: ExplorerState, view: ModelView, rect: Rect, into tiles: inout FrameTiles) {
        if state.showsScatter {
            tiles.scatter = view.projectedTestCodes(on: state.plane)
        } else {
            tiles.grid = view.decodeGrid(PlaneGeometry(area: rect.interior, state: state), plane: state.plane)
        }
    }
}
