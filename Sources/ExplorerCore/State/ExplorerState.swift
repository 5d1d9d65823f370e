/// Everything the explorer shows that the user controls: a plain value moved by key and mouse events.
///
/// The plane shows a 2-D slice of the latent space (`plane`): two latent dimensions with the others
/// held at an anchor, or the plane of the test codes' first two principal components. `cursor` and
/// `centre` are coordinates in that plane, with y pointing up as on a plot. The visible window is the
/// square `centre ± halfWidth` (the pane may show more vertically or horizontally to fill its shape).
public struct ExplorerState: Equatable, Sendable {
    /// Whether the keys move the cursor on the plane, browse the test letters, or draw on the canvas.
    public enum Mode: Equatable, Sendable { case plane, browse, draw }

    public static let defaultHalfWidth: Float = 3
    public static let zoomFactor: Float = 1.5
    public static let halfWidthRange: ClosedRange<Float> = 0.25 ... 12
    /// The cursor stays where the prior N(0, I) has any mass worth decoding.
    public static let cursorLimit: Float = 12
    /// Without a known screen (no grid to step through), a small cursor step is this fraction of the
    /// visible width (2 x halfWidth). On a screen an arrow moves one tile.
    public static let stepsPerView: Float = 24
    /// Shift+arrow moves this many small steps: far, yet within the 4 rows the smallest plane shows.
    public static let bigStepFactor: Float = 3
    /// Shift+arrow while browsing steps this many letters of the class.
    public static let browseBigStep = 10

    public let latentDim: Int
    public let catalog: ClassCatalog
    public var mode: Mode = .plane
    public var cursor = PlanePoint.origin
    public var centre = PlanePoint.origin
    public var halfWidth: Float = defaultHalfWidth
    public var showsScatter = false
    public var showsHelp = false
    /// Browsing: the selected class (index into the catalog) and letter (index into its test images).
    public var browseClass = 0
    public var browseItem = 0

    /// The latent dimensions (0-based) on the axes of a slice; `yDimension` is nil in a 1-D space.
    public internal(set) var xDimension = 0
    public internal(set) var yDimension: Int?
    /// Whether the plane is the principal-component plane (when one is known) rather than a slice.
    public internal(set) var showsPrincipalPlane = false
    /// The plane of the test codes' first two principal components, supplied from the model's codes.
    public internal(set) var principalPlane: LatentPlane?
    /// Where a slice holds the dimensions it does not show, and what that point is.
    public internal(set) var anchor: [Float]
    public internal(set) var anchorName = "origin"
    /// Interpolation point A (a full latent code) and what it is.
    public internal(set) var pointA: [Float]?
    public internal(set) var pointAName = ""
    public var showsInterpolation = false
    public var showsTraversal = false
    /// First row of the traversal view (rows beyond the pane are reached with [ and ]).
    public var traversalScroll = 0
    /// The plane's tile size the user chose with `<` `>` (nil: it grows with the pane).
    public internal(set) var chosenTileSize: TileSize?
    /// Whether the training panel shows its curves (training has started) or one idle line: the
    /// layout, and so where the mouse points, depends on it.
    public var trainingExpanded = false
    /// A question on the status line that the next key answers (replace a file, quit unsaved).
    public internal(set) var prompt: Prompt?
    /// A conditional model's style plane: the letter its tiles draw (nil for an unconditional model).
    public internal(set) var style: StylePlane?
    /// The word line, `w`, written in the style at the cursor (`WordLine.swift`).
    public internal(set) var wordLine = WordLine()
    /// Draw mode's canvas (`d`): kept when draw mode is left, and marked on the plane while not empty.
    public internal(set) var drawing = DrawingCanvas()
    /// `g` was pressed: the next key names the class whose centre the cursor goes to.
    public internal(set) var awaitsClassCentre = false

    /// `styleClasses`: a conditional model's class names (its plane is a style plane); nil otherwise.
    public init(catalog: ClassCatalog, latentDim: Int = 2, styleClasses: [String]? = nil) {
        precondition(latentDim >= 1, "a latent space has at least one dimension")
        self.catalog = catalog
        self.latentDim = latentDim
        style = styleClasses.flatMap { $0.isEmpty ? nil : StylePlane(classNames: $0) }
        yDimension = latentDim > 1 ? 1 : nil
        anchor = [Float](repeating: 0, count: latentDim)
    }

    /// A small cursor step without a screen: 1/24 of the visible width.
    public var step: Float { 2 * halfWidth / Self.stepsPerView }

    /// Whether the next key is typed into something open (a question, the help, the letter after `g` or
    /// `'`, the word line) rather than looked up in the key table.
    public var takesTypedKeys: Bool {
        prompt != nil || showsHelp || awaitsClassCentre || style?.awaitsLetter == true || wordLine.isEditing
    }

    /// The panes on `screen` with what this state shows (nil when the terminal is too small or unknown).
    public func layout(on screen: ScreenSize) -> Layout? { layout(width: screen.width, height: screen.height) }

    /// The panes for a terminal of `width` x `height` with what this state shows.
    public func layout(width: Int, height: Int) -> Layout? {
        Layout(width: width, height: height, showsStrip: showsInterpolation && pointA != nil || wordLine.isShown,
               trainingExpanded: trainingExpanded, showsCanvas: mode == .draw)
    }

    /// The tile size on a plane pane whose inside is `area`: the chosen one (made smaller if it does
    /// not fit), else the automatic one for that area.
    public func tileSize(for area: Rect) -> TileSize {
        chosenTileSize?.fitting(area) ?? TileSize.automatic(for: area)
    }

    /// Applies one key on a terminal of `screen`'s size (the layout decides what fits, how large a tile
    /// is and how far the view pans to keep the cursor in it); returns what the surrounding program must do.
    public mutating func apply(_ key: Key, on screen: ScreenSize = .unknown) -> ExplorerAction {
        let before = cursor
        let action = applyKey(key, on: screen)
        if cursor != before { keepCursorInView(on: screen) }
        return action
    }

    private mutating func applyKey(_ key: Key, on screen: ScreenSize) -> ExplorerAction {
        if let prompt { return answer(prompt, with: key) }
        if showsHelp {
            // Any key closes the help; q still quits.
            showsHelp = false
            return key == .character("q") ? .quit : .none
        }
        if screen != .unknown, layout(on: screen) == nil {
            // Too small to show anything but a notice: only quitting works.
            return key == .character("q") ? .quit : .none
        }
        if awaitsClassCentre { return classCentre(for: key) }
        if let action = applyTypedStyleKey(key) { return action }
        guard let command = KeyBindings.command(for: key, in: KeyContext(mode: mode, traversal: showsTraversal)) else {
            return .notice(Self.unknownKeyNotice(key))
        }
        return perform(command, key: key, on: screen)
    }

    /// What a key that does nothing on the plane says, so a press is never silently lost.
    static func unknownKeyNotice(_ key: Key) -> String {
        let name: String
        switch key {
        case .character(let c) where c.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }): name = "'\(c)'"
        case .character(let c): name = String(format: "code %d", c.unicodeScalars.first.map { Int($0.value) } ?? 0)
        case .enter: name = "Enter"
        default: name = "that key"
        }
        return "\(name) does nothing here: ? or F1 shows the keys"
    }

    /// Esc on the plane closes the word line, then the traversal, then the interpolation strip; it never
    /// quits (q does).
    mutating func stepBack() -> ExplorerAction {
        if wordLine.isShown {
            wordLine.isShown = false
            return .notice("Word line closed; w opens it again with the same text")
        } else if showsTraversal {
            showsTraversal = false
        } else if showsInterpolation {
            showsInterpolation = false
        } else {
            return .notice("Esc closes the traversal, the strip, browsing and the help; q quits")
        }
        return .none
    }

    /// `<` and `>` (and the wheel with a modifier): the next smaller or larger tile on the ladder.
    public mutating func stepTileSize(by offset: Int, on screen: ScreenSize) -> ExplorerAction {
        guard let layout = layout(on: screen) else { return .none }
        let area = layout.plane.interior
        let current = tileSize(for: area)
        let next = current.stepped(by: offset).fitting(area)
        chosenTileSize = next
        if next == current {
            return .notice(offset > 0 ? "Tiles are \(current) cells, the largest that fits here; < makes them smaller"
                                      : "Tiles are \(current) cells, the smallest; > makes them larger")
        }
        return .notice("Tiles of \(next) cells (< smaller, > larger)")
    }
}
