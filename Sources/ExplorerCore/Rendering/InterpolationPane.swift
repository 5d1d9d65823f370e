import LetterData
import VAE

/// The interpolation strip: letters decoded at evenly spaced points on the straight line from point A
/// to the cursor (or the browsed letter), redrawn as the cursor moves.
struct InterpolationPane {
    let state: ExplorerState
    let facts: any ModelFacts
    /// The decoded letters of `points(state:facts:rect:)` (nil: not decoded yet).
    let decoded: [Float]?
    let capabilities: TerminalCapabilities

    /// The latent points the strip in `rect` shows, `[steps, latentDim]` (nil without point A).
    static func points(state: ExplorerState, facts: any ModelFacts, rect: Rect) -> [Float]? {
        guard let a = state.pointA else { return nil }
        let steps = Layout.stripLetters(interiorWidth: rect.interior.width, maximumHeight: rect.interior.height).steps
        return LatentPaths.interpolation(from: a, to: Subject(state: state, facts: facts).code, steps: steps)
    }

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        buffer.fill(rect)
        let style = PanelStyle(capabilities: capabilities)
        guard state.pointA != nil else { return }
        let subject = Subject(state: state, facts: facts)
        let inside = rect.interior
        let letters = Layout.stripLetters(interiorWidth: inside.width, maximumHeight: inside.height)
        buffer.frame(rect, title: "Interpolation, \(letters.steps) steps: A \(state.pointAName) → \(subject.name)",
                     style: style.frame, titleStyle: style.title)
        let pitch = letters.width + TileSize.gap
        let x0 = inside.x + (inside.width - (letters.steps * pitch - TileSize.gap)) / 2
        for step in 0 ..< letters.steps {
            guard let decoded else { break }
            let image = Array(decoded[step * ImageSet.pixelCount ..< (step + 1) * ImageSet.pixelCount])
            PixelArt.draw(image, side: ImageSet.side, into: &buffer,
                          rect: Rect(x: x0 + step * pitch, y: inside.y, width: letters.width, height: min(letters.height, inside.height)),
                          style: capabilities.pixels)
        }
        // The ends named on the bottom edge, under the first and last letters.
        let bottom = rect.y + rect.height - 1
        buffer.put(" A ", x: x0, y: bottom, style: style.title)
        buffer.put(state.mode == .browse ? " ◆ " : " ✛ ", x: x0 + (letters.steps - 1) * pitch + letters.width - 3, y: bottom, style: style.title)
    }
}
