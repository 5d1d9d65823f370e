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
    /// The plane keeps the small-pane grid's rows of small letters (3: a letter above and below the
    /// cursor's) before the training panel gives way, down to its status line.
    static let minimumPlaneHeight = TileSize.smallPaneGrid.rows * (TileSize.smallest.height + TileSize.gap) + TileSize.gap + 2
    /// The interpolation strip shows this many letters at most and at least (narrower letters when
    /// even the fewest do not fit).
    public static let stripSteps = 6 ... 12
    /// The strip's letters are the largest of the plane's tile sizes that shows this many across: enough
    /// steps to see the path, yet letters that grow with the terminal.
    static let stripPreferredSteps = 8
    /// The strip takes at most this share of the rows under the title (1/4): the plane keeps the most.
    static let stripShareOfHeight = 4

    /// A side pane at least this many rows inside has room for the cursor's neighbourhood.
    public static let roomyPaneHeight = 36

    public let width: Int
    public let height: Int
    public let title: Rect
    public let plane: Rect
    public let side: Rect
    public let training: Rect
    /// The interpolation strip, when shown.
    public let strip: Rect?
    /// Draw mode's canvas, left of the plane (which gives up those columns).
    public let canvas: Rect?
    public let status: Rect
    public let help: Rect

    /// `trainingExpanded`: whether the training panel shows its curves (training has started), rather
    /// than one idle line.
    public init?(width: Int, height: Int, showsStrip: Bool = false, trainingExpanded: Bool = true, showsCanvas: Bool = false) {
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
        let stripHeight = showsStrip
            ? Self.stripLetters(interiorWidth: leftWidth - 2, maximumHeight: mainHeight / Self.stripShareOfHeight).height + 2 : 0
        var trainingHeight = trainingExpanded ? Self.trainingHeight : Self.idleTrainingHeight
        if mainHeight - trainingHeight - stripHeight < Self.minimumPlaneHeight {
            // As many of the panel's rows as leave the plane its minimum, at least its status line.
            let room = mainHeight - stripHeight - Self.minimumPlaneHeight
            trainingHeight = min(trainingHeight, max(room, Self.compactTrainingHeight))
        }
        let planeHeight = mainHeight - trainingHeight - stripHeight
        let canvasWidth = showsCanvas ? CanvasGeometry.paneWidth(leftWidth: leftWidth, height: planeHeight) : 0
        canvas = showsCanvas ? Rect(x: 0, y: 1, width: canvasWidth, height: planeHeight) : nil
        plane = Rect(x: canvasWidth, y: 1, width: leftWidth - canvasWidth, height: planeHeight)
        strip = showsStrip ? Rect(x: 0, y: 1 + planeHeight, width: leftWidth, height: stripHeight) : nil
        training = Rect(x: 0, y: 1 + planeHeight + stripHeight, width: leftWidth, height: trainingHeight)
    }

    /// How many letters the strip shows in `interiorWidth` columns, and each one's size in cells, with
    /// `TileSize.gap` blank columns between them as on the plane: the largest tile of the plane's ladder
    /// at most `maximumHeight` rows high that shows 8 or more (up to 12); where even the smallest does
    /// not, 6 letters made narrower to fit, gaps kept.
    public static func stripLetters(interiorWidth: Int, maximumHeight: Int) -> (steps: Int, width: Int, height: Int) {
        if let tile = TileSize.ladder.last(where: {
            $0.height <= maximumHeight && TileSize.count(of: $0.width, in: interiorWidth) >= stripPreferredSteps
        }) {
            return (min(TileSize.count(of: tile.width, in: interiorWidth), stripSteps.upperBound), tile.width, tile.height)
        }
        let steps = stripSteps.lowerBound, smallest = TileSize.smallest
        let width = max(1, min(smallest.width, (interiorWidth - TileSize.gap) / steps - TileSize.gap))
        return (steps, width, max(1, min(max(1, maximumHeight), width * smallest.height / smallest.width)))
    }
}
