@testable import ExplorerCore

extension ExplorerRenderer {
    /// Prepares `view`'s tiles for a frame of this size, as `ExplorerController.render` does, then draws it.
    func render(width: Int, height: Int, state: ExplorerState, view: ModelView, training: TrainingSession.Status,
                message: String) -> CellBuffer {
        let tiles = state.layout(width: width, height: height).map { FramePreparation.tiles(state: state, view: view, layout: $0) }
        return render(width: width, height: height, state: state, facts: view, tiles: tiles ?? FrameTiles(), training: training,
                      message: message)
    }
}
