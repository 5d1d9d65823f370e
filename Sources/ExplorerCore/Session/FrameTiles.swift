/// Everything a frame shows that comes from decoding or searching the model, worked out before the
/// frame is drawn (`FramePreparation`). The renderer only reads it: drawing a frame twice from the same
/// state, facts and tiles gives the same cells, and drawing never decodes, caches or submits work.
public struct FrameTiles: Sendable {
    /// The plane's decoded grid, `[rows * columns, pixels]` (nil: not decoded yet, or the scatter shows).
    public var grid: [Float]?
    /// Every test code projected onto the plane, `[x0, y0, x1, y1, ...]`, when the scatter shows.
    public var scatter: [Float]?
    /// The interpolation strip's decoded letters (nil: not decoded yet, or no strip).
    public var strip: [Float]?
    /// The traversal's decoded letters, row by row (nil: not decoded yet, or no traversal).
    public var traversal: [Float]?
    /// The letter decoded at the cursor, on the plane.
    public var cursorLetter: [Float]?
    /// The test letter whose code is nearest the cursor, and the distance.
    public var nearest: (index: Int, distance: Float)?
    /// The kNN's verdict at the cursor: the class and how many neighbours voted for it.
    public var vote: (label: Int, votes: Int, of: Int)?
    /// The test letter of the verdict's class nearest the cursor: the example shown beside the verdict.
    public var example: (index: Int, distance: Float)?
    /// The nearest test letters and the classes' centres by distance, for a side pane with room.
    public var neighbourhood: Neighbourhood?
    /// While browsing: the browsed letter's reconstruction.
    public var reconstruction: [Float]?
    /// A conditional model: every class decoded at the cursor's style code (`StylePanel`).
    public var alphabet: [Float]?
    /// The word line's letters decoded at the cursor's style code (`WordLinePane`).
    public var word: [Float]?
    /// Draw mode's drawing as this model reads it (nil while the canvas is empty): marked on the plane,
    /// and shown in the side pane in draw mode.
    public var drawing: DrawingReading?

    public init() {}
}

/// One pane of `--compare`: what it shows and its tiles.
public struct ComparedPane {
    public let state: ExplorerState
    public let facts: any ModelFacts
    public let tiles: FrameTiles
    public let heading: String
}
