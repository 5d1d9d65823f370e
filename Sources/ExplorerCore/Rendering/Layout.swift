/// Where each pane goes for a terminal size. The plane takes the room left of a column that holds the
/// large letters (or the browse panel); the training panel sits under the plane, and the
/// interpolation strip, when shown, between the two.
///
/// The plane has priority: while training is idle its panel is one line; the strip takes its rows
/// from the plane, and the training panel shrinks to its status line before the plane goes below
/// two rows of small letters. A later split of the plane (two models side by side) divides `plane`.
public struct Layout: Equatable, Sendable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24
    /// The side column: one 28-column letter wide, or two side by side on wide terminals.
    static let narrowSideWidth = 32
    static let wideSideWidth = 61
    static let wideSideFrom = 150
    /// The training panel with its curves, with its status line only, and idle (one line, no frame).
    static let trainingHeight = 7
    static let compactTrainingHeight = 3
    static let idleTrainingHeight = 1
    /// The plane keeps at least two rows of small letters before the training panel gives way.
    static let minimumPlaneHeight = 2 * (TileSize.smallest.height + TileSize.gap) + TileSize.gap + 2
    /// The interpolation strip shows this many letters at most and at least (narrower letters when
    /// even the fewest do not fit).
    public static let stripSteps = 6 ... 12
    /// A letter of the strip: the plane's smallest tile.
    static let stripLetter = TileSize.smallest

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

    /// `trainingExpanded`: whether the training panel shows its curves (training has started), rather
    /// than one idle line.
    public init?(width: Int, height: Int, showsStrip: Bool = false, trainingExpanded: Bool = true) {
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
        var trainingHeight = trainingExpanded ? Self.trainingHeight : Self.idleTrainingHeight
        if mainHeight - trainingHeight - stripHeight < Self.minimumPlaneHeight {
            trainingHeight = min(trainingHeight, Self.compactTrainingHeight)
        }
        let planeHeight = mainHeight - trainingHeight - stripHeight
        plane = Rect(x: 0, y: 1, width: leftWidth, height: planeHeight)
        strip = showsStrip ? Rect(x: 0, y: 1 + planeHeight, width: leftWidth, height: stripHeight) : nil
        training = Rect(x: 0, y: 1 + planeHeight + stripHeight, width: leftWidth, height: trainingHeight)
    }

    /// How many letters the strip shows in `interiorWidth` columns, and each one's size in cells: as
    /// many small letters as fit, between 6 and 12, made narrower when 6 do not fit.
    public static func stripLetters(interiorWidth: Int) -> (steps: Int, width: Int, height: Int) {
        let steps = min(max(interiorWidth / stripLetter.width, stripSteps.lowerBound), stripSteps.upperBound)
        let letterWidth = max(1, min(stripLetter.width, interiorWidth / steps))
        return (steps, letterWidth, max(1, letterWidth * stripLetter.height / stripLetter.width))
    }
}
