/// Everything the explorer shows that the user controls: a plain value moved by key events.
///
/// Latent coordinates have y pointing up, as on a plot. The visible window is the square
/// `centre ± halfWidth` (the plane pane may show more vertically or horizontally to fill its shape).
public struct ExplorerState: Equatable, Sendable {
    public enum Mode: Equatable, Sendable { case plane, browse }

    public static let defaultHalfWidth: Float = 3
    public static let zoomFactor: Float = 1.5
    public static let halfWidthRange: ClosedRange<Float> = 0.25 ... 12
    /// The cursor stays where the prior N(0, I) has any mass worth decoding.
    public static let cursorLimit: Float = 12

    public var mode: Mode = .plane
    public var cursor: (x: Float, y: Float) = (0, 0)
    public var centre: (x: Float, y: Float) = (0, 0)
    public var halfWidth: Float = defaultHalfWidth
    public var showsScatter = false
    public var showsHelp = false
    /// Browsing: the selected class (index into the catalog) and letter (index into its test images).
    public var browseClass = 0
    public var browseItem = 0
    public let catalog: ClassCatalog

    public init(catalog: ClassCatalog) { self.catalog = catalog }

    /// A small cursor step: 1/12 of the visible half-width, so a step moves a fraction of a grid cell.
    public var step: Float { halfWidth / 12 }

    public static func == (a: ExplorerState, b: ExplorerState) -> Bool {
        a.mode == b.mode && a.cursor == b.cursor && a.centre == b.centre && a.halfWidth == b.halfWidth
            && a.showsScatter == b.showsScatter && a.showsHelp == b.showsHelp
            && a.browseClass == b.browseClass && a.browseItem == b.browseItem && a.catalog == b.catalog
    }

    /// Applies one key; returns what the surrounding program must do.
    public mutating func apply(_ key: Key) -> ExplorerAction {
        if showsHelp {
            // Any key closes the help; q still quits.
            showsHelp = false
            return key == .character("q") ? .quit : .none
        }
        switch (mode, key) {
        case (_, .character("?")): showsHelp = true
        case (.plane, .escape), (.plane, .character("q")): return .quit
        case (.browse, .escape), (_, .tab): mode = mode == .plane ? .browse : .plane
        case (.plane, .character("b")): mode = .browse
        case (.plane, .character("t")), (.browse, .character("T")): return .toggleTraining
        case (.plane, .character("s")), (.browse, .character("S")): return .save
        case (.plane, .character("o")), (.browse, .character("O")): showsScatter.toggle()
        case (.plane, .character("+")), (.plane, .character("=")): zoom(by: 1 / Self.zoomFactor)
        case (.plane, .character("-")), (.plane, .character("_")): zoom(by: Self.zoomFactor)
        case (.plane, .character("0")): recentre()
        case (.browse, .enter): return selectedTestIndex == nil ? .none : .jumpToBrowsedLetter
        case (.plane, _): moveCursor(key)
        case (.browse, _): browse(key)
        }
        return .none
    }

    // MARK: the plane

    private mutating func moveCursor(_ key: Key) {
        let small = step, big = halfWidth / 3
        var (dx, dy): (Float, Float) = (0, 0)
        switch key {
        case .left, .character("h"): dx = -small
        case .right, .character("l"): dx = small
        case .up, .character("k"): dy = small
        case .down, .character("j"): dy = -small
        case .bigLeft, .character("H"): dx = -big
        case .bigRight, .character("L"): dx = big
        case .bigUp, .character("K"): dy = big
        case .bigDown, .character("J"): dy = -big
        default: return
        }
        moveCursor(to: (cursor.x + dx, cursor.y + dy))
    }

    /// Puts the cursor at `point` (within the limits) and pans the window so that it stays visible.
    public mutating func moveCursor(to point: (x: Float, y: Float)) {
        let limit = Self.cursorLimit
        cursor = (min(max(point.x, -limit), limit), min(max(point.y, -limit), limit))
        if cursor.x < centre.x - halfWidth { centre.x = cursor.x + halfWidth * 0.8 }
        if cursor.x > centre.x + halfWidth { centre.x = cursor.x - halfWidth * 0.8 }
        if cursor.y < centre.y - halfWidth { centre.y = cursor.y + halfWidth * 0.8 }
        if cursor.y > centre.y + halfWidth { centre.y = cursor.y - halfWidth * 0.8 }
    }

    /// Zooms about the cursor, keeping it at the same place on the screen.
    private mutating func zoom(by factor: Float) {
        let newHalfWidth = min(max(halfWidth * factor, Self.halfWidthRange.lowerBound), Self.halfWidthRange.upperBound)
        let ratio = newHalfWidth / halfWidth
        centre = (cursor.x + (centre.x - cursor.x) * ratio, cursor.y + (centre.y - cursor.y) * ratio)
        halfWidth = newHalfWidth
    }

    private mutating func recentre() {
        cursor = (0, 0)
        centre = (0, 0)
        halfWidth = Self.defaultHalfWidth
    }

    // MARK: browsing

    public var selectedClass: ClassCatalog.Entry? {
        catalog.entries.indices.contains(browseClass) ? catalog.entries[browseClass] : nil
    }

    /// The test-set index of the letter being browsed.
    public var selectedTestIndex: Int? {
        guard let entry = selectedClass, entry.testIndices.indices.contains(browseItem) else { return nil }
        return entry.testIndices[browseItem]
    }

    private mutating func browse(_ key: Key) {
        guard let entry = selectedClass else { return }
        let count = entry.testIndices.count
        switch key {
        case .right, .down: browseItem = (browseItem + 1) % count
        case .left, .up: browseItem = (browseItem - 1 + count) % count
        case .bigRight, .bigDown: browseItem = (browseItem + 10) % count
        case .bigLeft, .bigUp: browseItem = ((browseItem - 10) % count + count) % count
        case .character("]"): selectClass((browseClass + 1) % catalog.entries.count)
        case .character("["): selectClass((browseClass - 1 + catalog.entries.count) % catalog.entries.count)
        case .character(let c):
            if let index = catalog.entryIndex(forKey: c) { selectClass(index) }
        default: break
        }
    }

    private mutating func selectClass(_ index: Int) {
        browseClass = index
        browseItem = 0
    }

    /// Enter in browse mode: the cursor jumps to the browsed letter's latent mean, back on the plane.
    public mutating func jump(to code: (x: Float, y: Float)) {
        moveCursor(to: code)
        mode = .plane
    }
}
