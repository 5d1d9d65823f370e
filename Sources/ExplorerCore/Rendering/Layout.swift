/// Where each pane goes for a terminal size. The plane takes the room left of a column that holds the
/// large letters (or the browse panel); the training panel sits under the plane, and the
/// interpolation strip, when shown, between the two.
public struct Layout: Equatable, Sendable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24
    /// A small letter on the plane: 7 columns x 4 rows of cells (7 x 8 pixels).
    public static let gridCell = (width: 7, height: 4)
    /// The side column: one 28-column letter wide, or two side by side on wide terminals.
    static let narrowSideWidth = 32
    static let wideSideWidth = 61
    static let wideSideFrom = 150
    static let trainingHeight = 7
    /// The training panel's height when the strip needs its rows: its status line only.
    static let compactTrainingHeight = 3
    /// The plane keeps at least two rows of small letters before the training panel gives way.
    static let minimumPlaneHeight = 2 * gridCell.height + 2
    /// The interpolation strip shows this many letters at most and at least (smaller when narrow).
    public static let stripSteps = 8 ... 12

    public let width: Int
    public let height: Int
    public let title: Rect
    public let plane: Rect
    public let side: Rect
    public let training: Rect
    /// The interpolation strip, when shown.
    public let strip: Rect?
    public let status: Rect
    public let help: Rect

    public init?(width: Int, height: Int, showsStrip: Bool = false) {
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else { return nil }
        self.width = width
        self.height = height
        title = Rect(x: 0, y: 0, width: width, height: 1)
        help = Rect(x: 0, y: height - 1, width: width, height: 1)
        status = Rect(x: 0, y: height - 2, width: width, height: 1)
        let mainHeight = height - 3
        let sideWidth = width >= Self.wideSideFrom ? Self.wideSideWidth : Self.narrowSideWidth
        let leftWidth = width - sideWidth
        side = Rect(x: leftWidth, y: 1, width: sideWidth, height: mainHeight)
        let stripHeight = showsStrip ? Self.stripLetters(interiorWidth: leftWidth - 2).height + 2 : 0
        var trainingHeight = Self.trainingHeight
        if mainHeight - trainingHeight - stripHeight < Self.minimumPlaneHeight { trainingHeight = Self.compactTrainingHeight }
        let planeHeight = mainHeight - trainingHeight - stripHeight
        plane = Rect(x: 0, y: 1, width: leftWidth, height: planeHeight)
        strip = showsStrip ? Rect(x: 0, y: 1 + planeHeight, width: leftWidth, height: stripHeight) : nil
        training = Rect(x: 0, y: 1 + planeHeight + stripHeight, width: leftWidth, height: trainingHeight)
    }

    /// Columns and rows of small letters that fit in the plane pane.
    public var gridSize: (columns: Int, rows: Int) {
        let inside = plane.interior
        return (max(1, inside.width / Self.gridCell.width), max(1, inside.height / Self.gridCell.height))
    }

    /// How many letters the strip shows in `interiorWidth` columns, and each one's size in cells: as
    /// many 7-column letters as fit, between 8 and 12, made narrower when 8 do not fit.
    public static func stripLetters(interiorWidth: Int) -> (steps: Int, width: Int, height: Int) {
        let steps = min(max(interiorWidth / gridCell.width, stripSteps.lowerBound), stripSteps.upperBound)
        let letterWidth = max(1, min(gridCell.width, interiorWidth / steps))
        return (steps, letterWidth, (letterWidth + 1) / 2)
    }
}
