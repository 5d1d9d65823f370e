import Foundation
import VAE

/// The column right of the plane: the letter decoded at the cursor, large, or, while browsing, a test
/// letter beside its reconstruction.
struct SidePane {
    let state: ExplorerState
    let view: ModelView
    let capabilities: TerminalCapabilities

    private var titleStyle: CellStyle { capabilities.colours ? CellStyle(foreground: Palette.accent, bold: true) : CellStyle(bold: true) }
    private var frameStyle: CellStyle { capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain }
    private var mutedStyle: CellStyle { capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain }

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        buffer.fill(rect)
        switch state.mode {
        case .plane: drawCursorLetter(into: &buffer, rect: rect)
        case .browse: drawBrowse(into: &buffer, rect: rect)
        }
    }

    private func drawCursorLetter(into buffer: inout CellBuffer, rect: Rect) {
        buffer.frame(rect, title: "Decoded at cursor", style: frameStyle, titleStyle: titleStyle)
        let inside = rect.interior
        buffer.put(String(format: "z = (%+.2f, %+.2f)", state.cursor.x, state.cursor.y), x: inside.x + 1, y: inside.y, limit: inside.width - 1)
        let letter = Rect(x: inside.x + (inside.width - ImageSet.side) / 2, y: inside.y + 2, width: ImageSet.side, height: ImageSet.side / 2)
        PixelArt.draw(view.decode(state.cursor), side: ImageSet.side, into: &buffer, rect: letter, style: capabilities.pixels)
        let nearest = view.nearestClass(state.cursor).map { label in
            state.catalog.entries.first { $0.label == label }?.name ?? String(label)
        } ?? "?"
        buffer.put("nearest class: ", x: inside.x + 1, y: letter.y + letter.height + 1, limit: inside.width - 1)
        buffer.put(nearest, x: inside.x + 16, y: letter.y + letter.height + 1, style: CellStyle(bold: true), limit: inside.width - 16)
        buffer.put("(5-NN of training codes)", x: inside.x + 1, y: letter.y + letter.height + 2, style: mutedStyle, limit: inside.width - 1)
    }

    private func drawBrowse(into buffer: inout CellBuffer, rect: Rect) {
        guard let entry = state.selectedClass, let index = state.selectedTestIndex else {
            buffer.frame(rect, title: "Browse", style: frameStyle, titleStyle: titleStyle)
            buffer.put("no test letters", x: rect.x + 2, y: rect.y + 2)
            return
        }
        buffer.frame(rect, title: "Browse class '\(entry.name)'", style: frameStyle, titleStyle: titleStyle)
        let inside = rect.interior
        buffer.put("letter \(state.browseItem + 1) of \(entry.testIndices.count)", x: inside.x + 1, y: inside.y, limit: inside.width - 1)
        let code = view.testCode(index)
        buffer.put(String(format: "mean (%+.2f, %+.2f)", code.x, code.y), x: inside.x + 1, y: inside.y + 1, limit: inside.width - 1)
        let original = view.testImage(index), reconstruction = view.reconstruction(index)
        // Full size stacked when the column is tall enough, else half size side by side.
        if inside.height >= 2 + 2 * (ImageSet.side / 2 + 1) + 2 {
            let x = inside.x + (inside.width - ImageSet.side) / 2
            buffer.put("original", x: x, y: inside.y + 2, style: mutedStyle)
            PixelArt.draw(original, side: ImageSet.side, into: &buffer,
                          rect: Rect(x: x, y: inside.y + 3, width: ImageSet.side, height: ImageSet.side / 2), style: capabilities.pixels)
            let y = inside.y + 3 + ImageSet.side / 2
            buffer.put("reconstruction", x: x, y: y, style: mutedStyle)
            PixelArt.draw(reconstruction, side: ImageSet.side, into: &buffer,
                          rect: Rect(x: x, y: y + 1, width: ImageSet.side, height: ImageSet.side / 2), style: capabilities.pixels)
        } else {
            let half = ImageSet.side / 2
            buffer.put("original", x: inside.x, y: inside.y + 2, style: mutedStyle)
            buffer.put("reconstr.", x: inside.x + half + 1, y: inside.y + 2, style: mutedStyle)
            PixelArt.draw(original, side: ImageSet.side, into: &buffer,
                          rect: Rect(x: inside.x, y: inside.y + 3, width: half, height: half / 2), style: capabilities.pixels)
            PixelArt.draw(reconstruction, side: ImageSet.side, into: &buffer,
                          rect: Rect(x: inside.x + half + 1, y: inside.y + 3, width: half, height: half / 2), style: capabilities.pixels)
        }
        buffer.put("←/→ letter · a key, [ ]: class", x: inside.x + 1, y: inside.y + inside.height - 2, style: mutedStyle, limit: inside.width - 1)
        buffer.put("Enter: jump there · Tab: back", x: inside.x + 1, y: inside.y + inside.height - 1, style: mutedStyle, limit: inside.width - 1)
    }
}
