/// Turns the explorer's state, the model's facts and prepared tiles, and the training status into a
/// screen of cells. Knows nothing of curses: tests render frames and read them as text.
public struct ExplorerRenderer {
    public var capabilities: TerminalCapabilities
    /// The title bar's fields in display order (model, weights, data), and which to keep first when
    /// they do not all fit: indices into `titleFields`, most important first.
    public var titleFields: [String]
    public var titleImportance: [Int]

    public init(capabilities: TerminalCapabilities, title: String) {
        self.init(capabilities: capabilities, titleFields: [title], importance: [0])
    }

    public init(capabilities: TerminalCapabilities, titleFields: [String], importance: [Int]) {
        self.capabilities = capabilities
        self.titleFields = titleFields
        titleImportance = importance
    }

    /// The whole title, for the help (the title bar drops fields on narrow terminals).
    public var fullTitle: String { ([Self.programName] + titleFields).joined(separator: Self.titleSeparator) }

    static let programName = "LatentExplorer"
    static let titleSeparator = " · "

    /// The frame for a terminal of `width` x `height`: a function of its arguments alone. `tiles` (and
    /// `compared`, the panes of `--compare`) come from `FramePreparation`, which decodes beforehand.
    public func render(width: Int, height: Int, state: ExplorerState, facts: any ModelFacts, tiles: FrameTiles,
                       training: TrainingSession.Status, message: String, compared: [ComparedPane]? = nil) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        guard let layout = state.layout(width: width, height: height) else {
            var notice = "Terminal too small (\(width)x\(height)): enlarge it to at least \(Layout.minimumWidth)x\(Layout.minimumHeight), or press q to quit"
            if state.prompt != nil { notice = message }
            for (row, line) in TextFit.wrap(notice, to: width).enumerated() {
                buffer.put(line, x: 0, y: row, style: CellStyle(bold: true))
            }
            return capabilities.unicode ? buffer : Glyphs.asciiOnly(buffer)
        }
        let titleStyle = capabilities.colours ? CellStyle(foreground: 16, background: Palette.accent, bold: true) : CellStyle(bold: true, reverse: true)
        buffer.fill(layout.title, with: Cell(" ", titleStyle))
        let fields = TextFit.join(titleFields, separator: Self.titleSeparator, width: width - Self.programName.count - Self.titleSeparator.count - 2,
                                  importance: titleImportance)
        buffer.put(" " + Self.programName + (fields.isEmpty ? "" : Self.titleSeparator + fields), x: 0, y: 0, style: titleStyle, limit: width)
        if state.showsTraversal {
            TraversalPane(state: state, facts: facts, decoded: tiles.traversal, capabilities: capabilities)
                .draw(into: &buffer, rect: layout.plane)
        } else if let compared, compared.count > 1 {
            ComparePanes(panes: compared, capabilities: capabilities).draw(into: &buffer, rect: layout.plane)
        } else {
            PlanePane(state: state, facts: facts, tiles: tiles, capabilities: capabilities).draw(into: &buffer, rect: layout.plane)
        }
        if let strip = layout.strip, state.wordLine.isShown {
            WordLinePane(state: state, decoded: tiles.word, capabilities: capabilities).draw(into: &buffer, rect: strip)
        } else if let strip = layout.strip {
            InterpolationPane(state: state, facts: facts, decoded: tiles.strip, capabilities: capabilities).draw(into: &buffer, rect: strip)
        }
        if let canvas = layout.canvas { CanvasPane(state: state, capabilities: capabilities).draw(into: &buffer, rect: canvas) }
        SidePane(state: state, facts: facts, tiles: tiles, capabilities: capabilities).draw(into: &buffer, rect: layout.side)
        TrainingPane(status: training, capabilities: capabilities).draw(into: &buffer, rect: layout.training)
        // A question waiting for its answer stands out in every colour mode.
        let messageStyle = state.prompt == nil ? CellStyle.plain
            : (capabilities.colours ? CellStyle(foreground: 16, background: Palette.cursor, bold: true) : CellStyle(bold: true, reverse: true))
        buffer.put(message, x: 1, y: layout.status.y, style: messageStyle, limit: width - 2)
        let keysStyle = capabilities.colours ? CellStyle(foreground: Palette.muted) : .plain
        buffer.put(Self.keyLine(for: state, width: width - 2), x: 1, y: layout.help.y, style: keysStyle, limit: width - 2)
        if state.showsHelp { HelpOverlay(capabilities: capabilities, title: fullTitle, mode: state.mode).draw(into: &buffer, layout: layout) }
        return capabilities.unicode ? buffer : Glyphs.asciiOnly(buffer)
    }

    static func keyLine(for state: ExplorerState, width: Int) -> String {
        switch state.prompt {
        case .replaceFile: return "y replace the file  ·  n keep it"
        case .unsavedTraining: return "s save and quit  ·  d discard and quit  ·  c or Esc cancel"
        case nil where state.wordLine.isEditing:
            // As many as fit, the way out always.
            var line = ""
            for key in ["type a word", "Backspace erases", "arrows move the style", "Enter keeps"] where line.count + key.count + 15 <= width {
                line += key + "  ·  "
            }
            return line + "Esc closes"
        case nil: return KeyBindings.keyLine(for: state.mode, width: width, stylePlane: state.style != nil)
        }
    }
}

/// The help: every key, over the middle of the screen, and the whole title; any key closes it.
struct HelpOverlay {
    let capabilities: TerminalCapabilities
    let title: String
    /// The mode in use: its keys come first.
    var mode: ExplorerState.Mode = .plane

    static let footer = "Any key closes this help."
    /// The widest the help gets: a readable line of text, centred on wide terminals.
    static let maximumWidth = 76

    func draw(into buffer: inout CellBuffer, layout: Layout) {
        let width = min(layout.width - 4, Self.maximumWidth)
        let titleLines = TextFit.wrap(title, to: width - 4)
        // The way out is always the last line; the title goes before the keys when rows are short.
        let lines = KeyBindings.helpLines(first: mode) + (titleLines.isEmpty ? [] : ["Shown"] + titleLines.map { "  " + $0 })
        let height = min(layout.height - 2, lines.count + 3)
        let rect = Rect(x: (layout.width - width) / 2, y: (layout.height - height) / 2, width: width, height: height)
        buffer.fill(rect)
        buffer.frame(rect, title: "Keys", style: capabilities.colours ? CellStyle(foreground: Palette.accent) : .plain,
                     titleStyle: CellStyle(bold: true))
        for (offset, line) in (lines.prefix(max(0, height - 3)) + [Self.footer]).enumerated() {
            buffer.put(line, x: rect.x + 2, y: rect.y + 1 + offset, style: line.hasPrefix(" ") ? .plain : CellStyle(bold: true),
                       limit: width - 4)
        }
    }
}
