/// Where each pane goes for a terminal size. The plane takes the room left of a fixed-width column
/// that holds the large letter (or the browse panel); the training panel sits under the plane.
public struct Layout: Equatable, Sendable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24
    /// A small letter on the plane: 7 columns x 4 rows of cells (7 x 8 pixels).
    public static let gridCell = (width: 7, height: 4)
    static let sideColumnWidth = 32
    static let trainingHeight = 7

    public let width: Int
    public let height: Int
    public let title: Rect
    public let plane: Rect
    public let side: Rect
    public let training: Rect
    public let status: Rect
    public let help: Rect

    public init?(width: Int, height: Int) {
        guard width >= Self.minimumWidth, height >= Self.minimumHeight else { return nil }
        self.width = width
        self.height = height
        title = Rect(x: 0, y: 0, width: width, height: 1)
        help = Rect(x: 0, y: height - 1, width: width, height: 1)
        status = Rect(x: 0, y: height - 2, width: width, height: 1)
        let mainHeight = height - 3
        let leftWidth = width - Self.sideColumnWidth
        training = Rect(x: 0, y: 1 + mainHeight - Self.trainingHeight, width: leftWidth, height: Self.trainingHeight)
        plane = Rect(x: 0, y: 1, width: leftWidth, height: mainHeight - Self.trainingHeight)
        side = Rect(x: leftWidth, y: 1, width: Self.sideColumnWidth, height: mainHeight)
    }

    /// Columns and rows of small letters that fit in the plane pane.
    public var gridSize: (columns: Int, rows: Int) {
        let inside = plane.interior
        return (max(1, inside.width / Self.gridCell.width), max(1, inside.height / Self.gridCell.height))
    }
}
