/// The mouse: a click on the plane puts the cursor there, the wheel zooms about the pointer (with a
/// modifier it changes the tile size), a click on a legend entry browses that class. Every one of these has a key as well.
extension ExplorerState {
    /// Applies a mouse event at a cell of a terminal of `screen`'s size.
    public mutating func apply(_ event: MouseEvent, on screen: ScreenSize) -> ExplorerAction {
        let before = cursor
        let action = applyMouse(event, on: screen)
        if cursor != before { keepCursorInView(on: screen) }
        return action
    }

    private mutating func applyMouse(_ event: MouseEvent, on screen: ScreenSize) -> ExplorerAction {
        guard prompt == nil else { return .none }   // a question waits for its key
        guard event.kind != .drag && event.kind != .release else { return .none }   // only strokes on the canvas use them
        if showsHelp {
            showsHelp = false
            return .none
        }
        guard let layout = layout(on: screen) else { return .none }
        if showsScatter && !showsTraversal,
           let entry = Legend.entry(at: (event.column, event.row), catalog: catalog, pane: layout.plane),
           event.kind == .press {
            mode = .browse
            selectClass(entry)
            return .none
        }
        if event.kind == .modifiedWheelUp || event.kind == .modifiedWheelDown {
            return stepTileSize(by: event.kind == .modifiedWheelUp ? 1 : -1, on: screen)
        }
        guard !showsTraversal else { return .none }
        let geometry = PlaneGeometry(area: layout.plane.interior, state: self)
        guard let point = geometry.point(column: event.column, row: event.row) else { return .none }
        switch event.kind {
        case .press:
            if mode == .browse { mode = .plane }   // draw mode stays: the canvas and the plane side by side
            moveCursor(to: clickTarget(point, geometry))
        case .wheelUp, .wheelDown:
            // Zoom the grid as drawn (laid on the cursor), so the point under the pointer stays there
            // but for the new grid's own shift of under half a tile.
            centre = PlanePoint((geometry.left + geometry.right) / 2, (geometry.top + geometry.bottom) / 2)
            zoom(by: event.kind == .wheelUp ? 1 / Self.zoomFactor : Self.zoomFactor, about: point)
        case .modifiedWheelUp, .modifiedWheelDown, .drag, .release: break
        }
        return .none
    }

    /// Where a click puts the cursor: on the grid, the centre of the clicked tile (the letter clicked is
    /// the one framed and decoded in the side pane, and the grid does not shift); on the scatter, the
    /// point itself.
    func clickTarget(_ point: (x: Float, y: Float), _ geometry: PlaneGeometry) -> (x: Float, y: Float) {
        guard !showsScatter, let cell = geometry.gridCell(of: point) else { return point }
        return geometry.centre(row: cell.row, column: cell.column)
    }
}
