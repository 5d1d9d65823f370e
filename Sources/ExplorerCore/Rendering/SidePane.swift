import Foundation
import LetterData

/// The column right of the plane: the letter decoded at the cursor beside the nearest real test
/// letter, or, while browsing, a test letter beside its reconstruction.
struct SidePane {
    let state: ExplorerState
    let facts: any ModelFacts
    let tiles: FrameTiles
    let capabilities: TerminalCapabilities

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        buffer.fill(rect)
        switch state.mode {
        case .plane where state.style != nil && facts.isConditional: StylePanel(state: state, tiles: tiles, capabilities: capabilities).draw(into: &buffer, rect: rect)
        case .plane: CursorPanel(state: state, facts: facts, tiles: tiles, capabilities: capabilities).draw(into: &buffer, rect: rect)
        case .draw: DrawingPanel(state: state, facts: facts, tiles: tiles, capabilities: capabilities).draw(into: &buffer, rect: rect)
        case .browse: BrowsePanel(state: state, facts: facts, tiles: tiles, capabilities: capabilities).draw(into: &buffer, rect: rect)
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
        drawPair((captions: [first.caption], image: first.image), (captions: [second.caption], image: second.image),
                 in: inside, top: top, reservedBelow: reservedBelow, into: &buffer)
    }

    /// The first of `captions` that fits `width` columns (the last one, shortened with "…", when none does).
    static func caption(_ captions: [String], width: Int) -> String {
        captions.first { $0.count <= width } ?? TextFit.shorten(captions.last ?? "", to: width)
    }

    /// `drawPair` with captions to choose from, longest first: the first that fits is shown.
    func drawPair(_ first: (captions: [String], image: [Float]), _ second: (captions: [String], image: [Float]),
                  in inside: Rect, top: Int, reservedBelow: Int, into buffer: inout CellBuffer) -> Int {
        func put(_ captions: [String], x: Int, y: Int, limit: Int) {
            buffer.put(Self.caption(captions, width: limit), x: x, y: y, style: muted, limit: limit)
        }
        let side = ImageSet.side, full = (width: side, height: side / 2)
        if inside.width >= 2 * full.width + 1 {
            let x = inside.x + (inside.width - 2 * full.width - 1) / 2
            put(first.captions, x: x, y: top, limit: full.width)
            put(second.captions, x: x + full.width + 1, y: top, limit: full.width)
            PixelArt.draw(first.image, side: side, into: &buffer, rect: Rect(x: x, y: top + 1, width: full.width, height: full.height), style: capabilities.pixels)
            PixelArt.draw(second.image, side: side, into: &buffer,
                          rect: Rect(x: x + full.width + 1, y: top + 1, width: full.width, height: full.height), style: capabilities.pixels)
            return top + 1 + full.height
        }
        if inside.y + inside.height - top >= 2 * (full.height + 1) + reservedBelow {
            let x = inside.x + (inside.width - full.width) / 2
            put(first.captions, x: inside.x + 1, y: top, limit: inside.width - 1)
            PixelArt.draw(first.image, side: side, into: &buffer, rect: Rect(x: x, y: top + 1, width: full.width, height: full.height), style: capabilities.pixels)
            let y = top + 1 + full.height
            put(second.captions, x: inside.x + 1, y: y, limit: inside.width - 1)
            PixelArt.draw(second.image, side: side, into: &buffer, rect: Rect(x: x, y: y + 1, width: full.width, height: full.height), style: capabilities.pixels)
            return y + 1 + full.height
        }
        let half = (width: min(side / 2, (inside.width - 1) / 2), height: min(side / 2, (inside.width - 1) / 2) / 2)
        let gap = max(1, inside.width - 2 * half.width)
        put(first.captions, x: inside.x, y: top, limit: half.width + gap - 1)
        put(second.captions, x: inside.x + half.width + gap, y: top, limit: half.width)
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

    /// "z3 +0.12  z4 -0.40 …" packed into lines of `width` characters, at most `lines` of them; when
    /// they do not all fit, whole items give way to a final "…".
    static func codeLines(_ code: [Float], dimensions: [Int], width: Int, lines: Int) -> [String] {
        guard lines > 0 else { return [] }
        let items = dimensions.map { "z\($0 + 1) \(signed(code[$0]))" }
        var out: [String] = []
        var line = ""
        for (position, item) in items.enumerated() {
            let isLastLine = out.count == lines - 1
            let moreAfter = position < items.count - 1
            // On the last line, keep room for "  …" while more items follow.
            let reserve = isLastLine && moreAfter ? 3 : 0
            if !line.isEmpty && line.count + 2 + item.count + reserve > width {
                if isLastLine {
                    out.append(line + "  …")
                    return out
                }
                out.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : "  ") + item
        }
        if !line.isEmpty { out.append(line) }
        return out
    }
}
