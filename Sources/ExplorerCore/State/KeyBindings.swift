/// What a key does. The state performs most (`ExplorerState.perform`); the controller those that need
/// more than the state (the `/` line, the colour mode, the focus among compared models).
public enum KeyCommand: Equatable, Sendable {
    /// Move the cursor one tile (`big`: `ExplorerState.bigStepFactor` tiles) in the direction (dx, dy).
    case move(dx: Int, dy: Int, big: Bool)
    case zoom(in: Bool)
    case tileSize(step: Int)
    case nextAxis(horizontal: Bool)
    case principalPlane, reset, scatter, markCursor, interpolation, classCentre
    case traversal
    case scrollTraversal(by: Int)
    case jump, cycleColours, focusNextModel
    case browse, plane
    case anchorAtBrowsedLetter, markBrowsedLetter
    /// Browsing: the next or previous letters of the class, the next or previous class, the class of the key pressed.
    case browseStep(by: Int)
    case browseClassStep(by: Int)
    case chooseClass
    case train, save
    case scaleKLWeight(by: Double)
    case pickStyleLetter
    case stepStyleLetter(by: Int)
    case wordLine
    /// Draw mode (`d`): enter it (or leave it); move the pen one pixel; lower or lift it; clear; undo a
    /// stroke; put the cursor on the drawing's code; save the drawing as a PNG.
    case draw
    case movePen(dx: Int, dy: Int)
    case togglePen, clearDrawing, undoStroke, goToDrawing, saveDrawing
    case help, stepBack, quit
}

/// Which keys run a command, where. `keys` empty: any key no other trigger of that mode takes.
public struct KeyTrigger: Sendable {
    /// When the trigger applies beyond its mode.
    public enum Condition: Sendable { case always, comparing, notComparing, traversal }

    public let keys: [Key]
    /// The mode it applies in; nil: both.
    public let mode: ExplorerState.Mode?
    public let condition: Condition
    public let command: KeyCommand

    init(_ keys: [Key], _ mode: ExplorerState.Mode?, _ command: KeyCommand, when condition: Condition = .always) {
        (self.keys, self.mode, self.command, self.condition) = (keys, mode, command, condition)
    }
}

/// What decides a key's command besides the key: the mode, and whether models are compared or the
/// traversal is shown.
public struct KeyContext: Equatable, Sendable {
    public var mode: ExplorerState.Mode
    public var comparing = false
    public var traversal = false

    public init(mode: ExplorerState.Mode, comparing: Bool = false, traversal: Bool = false) {
        (self.mode, self.comparing, self.traversal) = (mode, comparing, traversal)
    }

    func allows(_ trigger: KeyTrigger) -> Bool {
        guard trigger.mode == nil || trigger.mode == mode else { return false }
        switch trigger.condition {
        case .always: return true
        case .comparing: return comparing
        case .notComparing: return !comparing
        case .traversal: return traversal
        }
    }
}

/// One row of the explorer's keys: its triggers, and how the key line, the help (`?`) and
/// docs/explorer.md's table say it. Everything that names a key derives from `KeyBindings.all`.
public struct KeyBinding: Sendable {
    /// Where the help and the key line list it: on the plane, while browsing, or in draw mode.
    public let section: ExplorerState.Mode
    /// The keys as docs/explorer.md's table writes them (Markdown) and what they do there.
    public let docKeys: String
    public let doc: String
    /// The keys as the help writes them (at most `KeyBindings.helpKeyWidth` characters) and what they do.
    public let helpKeys: String
    public let help: String
    /// Its labels on the key line of its section (as many as fit, in table order).
    public let keyLine: [String]
    /// Whether its label ends every key line (`? help`, `q quit`).
    public let pinned: Bool
    /// Whether it belongs to a conditional model's style plane: first on the key line there.
    public let stylePlane: Bool
    public let triggers: [KeyTrigger]

    init(_ section: ExplorerState.Mode, doc docKeys: String, _ doc: String, help helpKeys: String, _ help: String,
         keyLine: [String] = [], pinned: Bool = false, stylePlane: Bool = false, _ triggers: [KeyTrigger]) {
        precondition(helpKeys.count <= KeyBindings.helpKeyWidth, "the help's key column: \(helpKeys)")
        precondition(help.count <= KeyBindings.helpTextWidth, "the help's text column: \(help)")
        self.section = section
        self.docKeys = docKeys
        self.doc = doc
        self.helpKeys = helpKeys
        self.help = help
        self.keyLine = keyLine
        self.pinned = pinned
        self.stylePlane = stylePlane
        self.triggers = triggers
    }
}

/// What the table derives: dispatch, the key line, the help and the documentation's table.
extension KeyBindings {
    /// The command of `key` in `context`: the first trigger naming the key, else the mode's catch-all.
    public static func command(for key: Key, in context: KeyContext) -> KeyCommand? {
        let triggers = all.lazy.flatMap(\.triggers).filter(context.allows)
        return (triggers.first { $0.keys.contains(key) } ?? triggers.first { $0.keys.isEmpty })?.command
    }

    /// The key line of `mode`: as many labels as fit in `width`, in table order (on a style plane its
    /// own keys first), then the pinned ones (`? help`, `q quit`), which always show.
    static func keyLine(for mode: ExplorerState.Mode, width: Int, stylePlane: Bool = false) -> String {
        let rows = all.filter { $0.section == mode && !$0.pinned && (stylePlane || !$0.stylePlane) }
        let labels = rows.filter(\.stylePlane).flatMap(\.keyLine) + rows.filter { !$0.stylePlane }.flatMap(\.keyLine)
        let last = all.filter { row in row.pinned && row.triggers.contains { $0.mode == nil || $0.mode == mode } }
            .flatMap(\.keyLine).joined(separator: keyLineSeparator)
        var line = ""
        for label in labels where line.count + label.count + keyLineSeparator.count + last.count <= width {
            line += label + keyLineSeparator
        }
        return line + last
    }

    static let keyLineSeparator = "  "

    /// The help's lines: each section's rows, key column first.
    static var helpLines: [String] { helpLines(first: .plane) }

    /// The help's lines with `mode`'s section first: on a short terminal the help is cut at the bottom,
    /// and the keys of the mode in use are the ones wanted.
    static func helpLines(first mode: ExplorerState.Mode) -> [String] {
        func rows(_ section: ExplorerState.Mode) -> [String] {
            all.filter { $0.section == section }.map { "  " + $0.helpKeys.padding(toLength: helpKeyWidth, withPad: " ", startingAt: 0) + " " + $0.help }
        }
        let sections: [(ExplorerState.Mode, String)] = [(.plane, "On the plane"), (.browse, "Browsing"), (.draw, "Drawing")]
        let ordered = sections.filter { $0.0 == mode } + sections.filter { $0.0 != mode }
        return ordered.flatMap { [$0.1] + rows($0.0) }
    }

    /// docs/explorer.md's key table, in Markdown.
    public static var markdownTable: String {
        (["| keys | what they do |", "|---|---|"] + all.map { "| \($0.docKeys) | \($0.doc) |" }).joined(separator: "\n")
    }

    /// Every key some trigger names.
    public static var boundKeys: Set<Key> { Set(all.flatMap(\.triggers).flatMap(\.keys)) }
}
