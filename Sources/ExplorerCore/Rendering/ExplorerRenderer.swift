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
                       training: TrainingSession.Status, message: String) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        guard let layout = Layout(width: width, height: height) else {
            let notice = "Terminal too small (\(width)x\(height)): enlarge it to at least \(Layout.minimumWidth)x\(Layout.minimumHeight), or press q to quit"
            buffer.put(notice, x: 0, y: 0, style: CellStyle(bold: true))
            return buffer
        }
        let titleStyle = capabilities.colours ? CellStyle(foreground: 16, background: Palette.accent, bold: true) : CellStyle(bold: true, reverse: true)
        buffer.fill(layout.title, with: Cell(" ", titleStyle))
        buffer.put(" LatentExplorer · " + title, x: 0, y: 0, style: titleStyle)
        PlanePane(state: state, view: view, capabilities: capabilities).draw(into: &buffer, rect: layout.plane)
        SidePane(state: state, view: view, capabilities: capabilities).draw(into: &buffer, rect: layout.side)
        TrainingPane(status: training, capabilities: capabilities).draw(into: &buffer, rect: layout.training)
        buffer.put(message, x: 1, y: layout.status.y, limit: width - 2)
        let keysStyle = capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain
        buffer.put(Self.keyLine(for: state.mode), x: 1, y: layout.help.y, style: keysStyle, limit: width - 2)
        if state.showsHelp { drawHelp(into: &buffer, layout: layout) }
        return buffer
    }

    static func keyLine(for mode: ExplorerState.Mode) -> String {
        switch mode {
        case .plane: return "←↑↓→/hjkl move  HJKL big  +/- zoom  0 centre  o scatter  b browse  t train  s save  ? help  q quit"
        case .browse: return "a letter: class  ←/→ step  [ ] class  Enter: jump there  Tab/Esc: plane  T train  S save  ? help"
        }
    }

    static let helpText = [
        "On the plane",
        "  arrows or h j k l     move the cursor (a twelfth of the view)",
        "  shift+arrows, H J K L move a third of the view",
        "  + / -                 zoom in / out about the cursor",
        "  0                     recentre: cursor at the origin, default zoom",
        "  o                     show the test letters as a scatter by class",
        "  b or Tab              browse the test letters class by class",
        "  t                     train in the background; again: pause, resume",
        "  s                     save the weights (atomically)",
        "  q or Esc              quit",
        "Browsing",
        "  a letter or digit     choose that class;  [ ]  previous / next class",
        "  arrows                previous / next letter of the class",
        "  Enter                 put the cursor on this letter's latent mean",
        "  Tab or Esc            back to the plane;  T train, S save, O scatter",
        "",
        "The plane decodes latent means; the cursor letter's class is the",
        "5-NN vote of training codes.  Any key closes this help.",
    ]

    private func drawHelp(into buffer: inout CellBuffer, layout: Layout) {
        let width = min(layout.width - 4, 74), height = min(layout.height - 4, Self.helpText.count + 2)
        let rect = Rect(x: (layout.width - width) / 2, y: (layout.height - height) / 2, width: width, height: height)
        buffer.fill(rect)
        buffer.frame(rect, title: "Keys", style: capabilities.colours ? CellStyle(foreground: Palette.accent) : .plain,
                     titleStyle: CellStyle(bold: true))
        for (offset, line) in Self.helpText.prefix(height - 2).enumerated() {
            buffer.put(line, x: rect.x + 2, y: rect.y + 1 + offset, style: line.hasPrefix(" ") || line.isEmpty ? .plain : CellStyle(bold: true),
                       limit: width - 4)
        }
    }
}
