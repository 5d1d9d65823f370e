import VAE

/// Turns the explorer's state, model view and training status into a screen of cells. Knows nothing
/// of curses: tests render frames and read them as text.
public struct ExplorerRenderer {
    public var capabilities: TerminalCapabilities
    /// The model and data set, for the title bar.
    public var title: String

    public init(capabilities: TerminalCapabilities, title: String) {
        self.capabilities = capabilities
        self.title = title
    }

    public func render(width: Int, height: Int, state: ExplorerState, view: ModelView,
                       training: TrainingSession.Status, message: String, compared: ComparedModels? = nil) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        guard let layout = Layout(width: width, height: height, showsStrip: state.showsInterpolation && state.pointA != nil) else {
            let notice = "Terminal too small (\(width)x\(height)): enlarge it to at least \(Layout.minimumWidth)x\(Layout.minimumHeight), or press q to quit"
            buffer.put(notice, x: 0, y: 0, style: CellStyle(bold: true))
            return capabilities.unicode ? buffer : Glyphs.asciiOnly(buffer)
        }
        let titleStyle = capabilities.colours ? CellStyle(foreground: 16, background: Palette.accent, bold: true) : CellStyle(bold: true, reverse: true)
        buffer.fill(layout.title, with: Cell(" ", titleStyle))
        buffer.put(" LatentExplorer · " + title, x: 0, y: 0, style: titleStyle)
        if state.showsTraversal {
            TraversalPane(state: state, view: view, capabilities: capabilities).draw(into: &buffer, rect: layout.plane)
        } else if let compared, compared.entries.count > 1 {
            ComparePanes(compared: compared, state: state, capabilities: capabilities).draw(into: &buffer, rect: layout.plane)
        } else {
            PlanePane(state: state, view: view, capabilities: capabilities).draw(into: &buffer, rect: layout.plane)
        }
        if let strip = layout.strip {
            InterpolationPane(state: state, view: view, capabilities: capabilities).draw(into: &buffer, rect: strip)
        }
        SidePane(state: state, view: view, capabilities: capabilities).draw(into: &buffer, rect: layout.side)
        TrainingPane(status: training, capabilities: capabilities).draw(into: &buffer, rect: layout.training)
        buffer.put(message, x: 1, y: layout.status.y, limit: width - 2)
        let keysStyle = capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain
        buffer.put(Self.keyLine(for: state.mode, width: width - 2), x: 1, y: layout.help.y, style: keysStyle, limit: width - 2)
        if state.showsHelp { HelpOverlay(capabilities: capabilities).draw(into: &buffer, layout: layout) }
        return capabilities.unicode ? buffer : Glyphs.asciiOnly(buffer)
    }

    /// The keys of a mode, as many as fit in `width`; "? help" always shows.
    static func keyLine(for mode: ExplorerState.Mode, width: Int) -> String {
        let keys: [String]
        let last: String
        switch mode {
        case .plane:
            keys = ["←↑↓→ move", "+/- zoom", "b browse", "t train", "s save", "x y axes", "p PCA", "o scatter",
                    "m i strip", "v traverse", "0 reset"]
            last = "? help  q quit"
        case .browse:
            keys = ["a key: class", "←/→ step", "[ ] class", "Enter: anchor", "M mark A", "I strip", "V traverse",
                    "Tab/Esc: plane", "T train", "S save"]
            last = "? help"
        }
        var line = ""
        for key in keys where line.count + key.count + 2 + last.count <= width {
            line += key + "  "
        }
        return line + last
    }
}

/// The help: every key, over the middle of the screen; any key closes it.
struct HelpOverlay {
    let capabilities: TerminalCapabilities

    static let text = [
        "On the plane",
        "  arrows or h j k l     move the cursor (1/24 of the view's width)",
        "  shift+arrows, H J K L move 1/6 of the view;  click: put it there",
        "  + / -, mouse wheel    zoom about the cursor / about the pointer",
        "  x / y                 next latent dimension across / up",
        "  p                     PCA plane of the test codes (p again: back)",
        "  0                     reset: others at 0, cursor at the origin",
        "  o                     scatter of the test codes, with a legend",
        "  m, then i             mark A at the cursor; strip from A to cursor",
        "  v                     traversal: each dimension swept -3…3  [ ] scroll",
        "  b or Tab, t, s        browse;  train in the background;  save",
        "  { / }                 halve / double β, the KL weight of training",
        "  Tab (with --compare)  focus the next model: browse, t, s act on it",
        "  Esc                   close traversal / strip;  q quit",
        "Browsing",
        "  a key (letter, digit) choose that class;  [ ]  previous / next",
        "  arrows                previous / next test letter of the class",
        "  Enter                 hold the other dimensions at this letter",
        "  M  I  V               mark it as A;  strip;  traverse it",
        "  Tab or Esc            back to the plane;  T S O X Y P as on it",
        "Any key closes this help.",
    ]

    func draw(into buffer: inout CellBuffer, layout: Layout) {
        let width = min(layout.width - 4, 76), height = min(layout.height - 2, Self.text.count + 2)
        let rect = Rect(x: (layout.width - width) / 2, y: (layout.height - height) / 2, width: width, height: height)
        buffer.fill(rect)
        buffer.frame(rect, title: "Keys", style: capabilities.colours ? CellStyle(foreground: Palette.accent) : .plain,
                     titleStyle: CellStyle(bold: true))
        for (offset, line) in Self.text.prefix(height - 2).enumerated() {
            buffer.put(line, x: rect.x + 2, y: rect.y + 1 + offset, style: line.hasPrefix(" ") ? .plain : CellStyle(bold: true),
                       limit: width - 4)
        }
    }
}
