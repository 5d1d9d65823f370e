import Foundation
import VAE

/// The column right of the plane: the letter decoded at the cursor beside the nearest real test
/// letter, or, while browsing, a test letter beside its reconstruction.
struct SidePane {
    let state: ExplorerState
    let view: ModelView
    let capabilities: TerminalCapabilities

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        buffer.fill(rect)
        switch state.mode {
        case .plane: CursorPanel(state: state, view: view, capabilities: capabilities).draw(into: &buffer, rect: rect)
        case .browse: BrowsePanel(state: state, view: view, capabilities: capabilities).draw(into: &buffer, rect: rect)
        }
    }
}

/// Styles and drawing shared by the side pane's panels.
struct PanelStyle {
    let capabilities: TerminalCapabilities

    var title: CellStyle { capabilities.colours ? CellStyle(foreground: Palette.accent, bold: true) : CellStyle(bold: true) }
    var frame: CellStyle { capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain }
    var muted: CellStyle { capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain }

    /// Two letters with captions, side by side at full size when the width allows, else stacked at
    /// full size when the height allows, else side by side at half size. Returns the first row below.
    func drawPair(_ first: (caption: String, image: [Float]), _ second: (caption: String, image: [Float]),
                  in inside: Rect, top: Int, reservedBelow: Int, into buffer: inout CellBuffer) -> Int {
        let side = ImageSet.side, full = (width: side, height: side / 2)
        if inside.width >= 2 * full.width + 1 {
            let x = inside.x + (inside.width - 2 * full.width - 1) / 2
            buffer.put(first.caption, x: x, y: top, style: muted, limit: full.width)
            buffer.put(second.caption, x: x + full.width + 1, y: top, style: muted, limit: full.width)
            PixelArt.draw(first.image, side: side, into: &buffer, rect: Rect(x: x, y: top + 1, width: full.width, height: full.height), style: capabilities.pixels)
            PixelArt.draw(second.image, side: side, into: &buffer,
                          rect: Rect(x: x + full.width + 1, y: top + 1, width: full.width, height: full.height), style: capabilities.pixels)
            return top + 1 + full.height
        }
        if inside.y + inside.height - top >= 2 * (full.height + 1) + reservedBelow {
            let x = inside.x + (inside.width - full.width) / 2
            buffer.put(first.caption, x: inside.x + 1, y: top, style: muted, limit: inside.width - 1)
            PixelArt.draw(first.image, side: side, into: &buffer, rect: Rect(x: x, y: top + 1, width: full.width, height: full.height), style: capabilities.pixels)
            let y = top + 1 + full.height
            buffer.put(second.caption, x: inside.x + 1, y: y, style: muted, limit: inside.width - 1)
            PixelArt.draw(second.image, side: side, into: &buffer, rect: Rect(x: x, y: y + 1, width: full.width, height: full.height), style: capabilities.pixels)
            return y + 1 + full.height
        }
        let half = (width: min(side / 2, (inside.width - 1) / 2), height: min(side / 2, (inside.width - 1) / 2) / 2)
        let gap = max(1, inside.width - 2 * half.width)
        buffer.put(first.caption, x: inside.x, y: top, style: muted, limit: half.width + gap - 1)
        buffer.put(second.caption, x: inside.x + half.width + gap, y: top, style: muted, limit: half.width)
        PixelArt.draw(first.image, side: side, into: &buffer, rect: Rect(x: inside.x, y: top + 1, width: half.width, height: half.height), style: capabilities.pixels)
        PixelArt.draw(second.image, side: side, into: &buffer,
                      rect: Rect(x: inside.x + half.width + gap, y: top + 1, width: half.width, height: half.height), style: capabilities.pixels)
        return top + 1 + half.height
    }
}

enum Format {
    /// "+0.50"
    static func signed(_ value: Float, digits: Int = 2) -> String { String(format: "%+.\(digits)f", value) }

    /// "0.42"
    static func fixed(_ value: Float, digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

    /// "z3 +0.12  z4 -0.40 …" packed into lines of `width` characters, at most `lines` of them.
    static func codeLines(_ code: [Float], dimensions: [Int], width: Int, lines: Int) -> [String] {
        var out: [String] = []
        var line = ""
        for dimension in dimensions {
            let item = "z\(dimension + 1) \(signed(code[dimension]))"
            if !line.isEmpty && line.count + 2 + item.count > width {
                out.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : "  ") + item
        }
        if !line.isEmpty { out.append(line) }
        if out.count > lines, lines > 0 {
            out = Array(out.prefix(lines))
            out[lines - 1] = String(out[lines - 1].prefix(max(0, width - 1))) + "…"
        }
        return lines > 0 ? out : []
    }
}
