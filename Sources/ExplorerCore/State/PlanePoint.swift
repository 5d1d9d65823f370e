/// A point of the plane the explorer shows, in the plane's own coordinates (y up, as on a plot).
public struct PlanePoint: Equatable, Sendable {
    public var x: Float
    public var y: Float

    public init(_ x: Float, _ y: Float) {
        self.x = x
        self.y = y
    }

    public static let origin = PlanePoint(0, 0)

    /// The point as the (x, y) pair the plane geometry and projections use.
    public var pair: (x: Float, y: Float) { (x, y) }
}

/// The terminal's size in cells. Layout is worked out from it whenever it is needed (a frame, a click),
/// so it is never part of the explorer's state.
public struct ScreenSize: Equatable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// No terminal known yet (before the first resize, or headless): nothing depends on a layout.
    public static let unknown = ScreenSize(width: 0, height: 0)
}
