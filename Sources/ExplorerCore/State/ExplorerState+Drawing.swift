/// Draw mode (`d`): the keyboard's pen and the mouse's strokes on the canvas (`DrawingCanvas`). Reading
/// the drawing (preparing, encoding, the verdict) needs the model: the controller and
/// `FramePreparation` do it, never the state or the renderer.
extension ExplorerState {
    /// The draw-mode commands of the key table.
    mutating func performDrawing(_ command: KeyCommand) -> ExplorerAction {
        switch command {
        case .draw: return enterDrawMode()
        case .movePen(let dx, let dy): drawing.movePen(dx: dx, dy: dy)
        case .togglePen:
            drawing.togglePen()
            return .notice(drawing.penIsDown ? "Pen down: the arrows draw; space lifts it" : "Pen up: the arrows move it without drawing")
        case .clearDrawing:
            drawing.clear()
            return .notice("Canvas cleared")
        case .undoStroke:
            return drawing.undo() ? .none : .notice("Nothing to undo: the canvas is empty")
        case .goToDrawing: return drawing.isEmpty ? .notice("Draw a letter first: the mouse, or the arrows with the pen down (space)") : .goToDrawing
        case .saveDrawing: return drawing.isEmpty ? .notice("Nothing to save: the canvas is empty") : .saveDrawing
        default: break
        }
        return .none
    }

    /// `d`: the canvas opens beside the plane. A latent space of more than two dimensions is shown on
    /// its PCA plane, where the drawing's whole code is placed (a slice would drop its other dimensions).
    private mutating func enterDrawMode() -> ExplorerAction {
        mode = .draw
        if latentDim > 2 && !showsPrincipalPlane && principalPlane != nil { _ = togglePrincipalPlane() }
        return .notice(drawing.isEmpty ? "Draw with the mouse on the canvas, or arrows + space (the pen); Esc leaves"
                                       : "Your drawing is back: u undoes a stroke, c clears, Esc leaves")
    }

    /// A mouse event in draw mode: a press on the canvas starts a stroke, a drag continues it (anywhere:
    /// it is clamped to the canvas), a release ends it. Returns whether the canvas took the event (else
    /// it goes to the plane as usual).
    public mutating func applyDrawingMouse(_ event: MouseEvent, on screen: ScreenSize) -> Bool {
        guard mode == .draw, prompt == nil, !showsHelp, let canvas = layout(on: screen)?.canvas else { return false }
        let geometry = CanvasGeometry(pane: canvas)
        switch event.kind {
        case .press:
            guard let point = geometry.point(column: event.column, row: event.row) else { return false }
            if drawing.penIsDown { drawing.togglePen() }   // the mouse takes over from the keyboard's pen
            drawing.begin(at: point)
        case .drag:
            guard drawing.isStroking, !drawing.penIsDown else { return false }
            drawing.extend(to: geometry.point(column: event.column, row: event.row, clamped: true))
        case .release:
            guard drawing.isStroking, !drawing.penIsDown else { return false }
            drawing.end()
        default: return false
        }
        return true
    }
}
