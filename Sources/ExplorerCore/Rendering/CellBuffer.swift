import Support

/// What a terminal cell shows: one character with colours and attributes. Colours are xterm palette
/// indices (0...255); `nil` is the terminal's default.
public struct CellStyle: Equatable, Hashable, Sendable {
    public var foreground: UInt8?
    public var background: UInt8?
    public var bold = false
    public var reverse = false
    public var dim = false

    public init(foreground: UInt8? = nil, background: UInt8? = nil, bold: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
    }

    public static let plain = CellStyle()
}

/// One character cell of the screen and its style.
public struct Cell: Equatable, Sendable {
    public var character: Character
    public var style: CellStyle

    public init(_ character: Character = " ", _ style: CellStyle = .plain) {
        self.character = character
        self.style = style
    }
}

/// A screen's worth of cells: what the renderer produces and the terminal layer paints (only the
/// cells that differ from the previous frame).
public struct CellBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { if x >= 0, y >= 0, x < width, y < height { cells[y * width + x] = newValue } }
    }

    /// Writes `text` from (x, y) rightwards. Text longer than `limit` columns (or the buffer) is
    /// shortened at a word boundary with "…" (`TextFit`), never cut inside a word.
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, limit: Int? = nil) {
        guard y >= 0, y < height else { return }
        var column = x
        let end = min(width, x + (limit ?? width))
        for character in TextFit.shorten(text, to: max(0, end - x)) {
            guard column < end else { break }
            // A character the terminal would obey (a control, ESC, a bidi override) is shown as "?":
            // text from files reaches the screen through here.
            let shown: Character = character.unicodeScalars.contains(where: { TextSanitizer.isUnsafe($0) }) ? "?" : character
            if column >= 0 { cells[y * width + column] = Cell(shown, style) }
            column += 1
        }
    }

    public mutating func fill(_ rect: Rect, with cell: Cell = Cell()) {
        for y in max(0, rect.y) ..< min(height, rect.y + rect.height) {
            for x in max(0, rect.x) ..< min(width, rect.x + rect.width) { cells[y * width + x] = cell }
        }
    }

    /// A box-drawing frame around `rect` with `title` in its top edge.
    public mutating func frame(_ rect: Rect, title: String = "", style: CellStyle = .plain, titleStyle: CellStyle? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let (right, bottom) = (rect.x + rect.width - 1, rect.y + rect.height - 1)
        for x in rect.x + 1 ..< right {
            self[x, rect.y] = Cell("─", style)
            self[x, bottom] = Cell("─", style)
        }
        for y in rect.y + 1 ..< bottom {
            self[rect.x, y] = Cell("│", style)
            self[right, y] = Cell("│", style)
        }
        self[rect.x, rect.y] = Cell("╭", style)
        self[right, rect.y] = Cell("╮", style)
        self[rect.x, bottom] = Cell("╰", style)
        self[right, bottom] = Cell("╯", style)
        if !title.isEmpty { put(" \(title) ", x: rect.x + 2, y: rect.y, style: titleStyle ?? style, limit: rect.width - 4) }
    }

    /// The rows as plain text (for tests and text captures).
    public var text: String {
        (0 ..< height).map { y in String((0 ..< width).map { cells[y * width + $0].character }) }.joined(separator: "\n")
    }
}

/// A rectangle of cells: the top-left corner (0-based column and row) and the size.
public struct Rect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The inside of a frame drawn on this rectangle.
    public var interior: Rect { Rect(x: x + 1, y: y + 1, width: max(0, width - 2), height: max(0, height - 2)) }
}
