import LetterData

/// Draw mode's canvas (`d`): 28x28 pixels of ink painted by strokes of a soft round brush, from the
/// mouse (press, drag, release) or from the keyboard's pen (arrows move it, space lowers or lifts it).
/// A plain value: the ink is worked out from the strokes, so undoing one (`u`) is dropping it.
///
/// Coordinates are in pixels, (0, 0) the top-left pixel's top-left corner, y down; a pixel's centre is
/// at (x + 0.5, y + 0.5).
public struct DrawingCanvas: Equatable, Sendable {
    public static let side = ImageSet.side
    /// The brush: full ink within `brushCore` pixels of the stroke's centre line, fading linearly to
    /// none at `brushEdge`: half ink 1.4 pixels out, a stroke 2.8 pixels wide with a soft edge. EMNIST's
    /// letters, framed in 24 of their 28 pixels, have strokes 2.7 pixels wide (the median of the real
    /// test letters' `LetterMeasures.strokeWidth`); a letter drawn across most of the canvas is scaled
    /// little by the preparation, so its strokes come out as wide (`DrawingCanvasTests` measures both).
    public static let brushCore: Float = 0.9
    public static let brushEdge: Float = 1.9

    /// The strokes, oldest first: each the points its centre line passes through, joined by segments.
    public private(set) var strokes: [[CanvasPoint]] = []
    /// Whether the last stroke is still being drawn (the button held, or the pen down).
    public private(set) var isStroking = false
    /// The keyboard's pen: the pixel it is on, and whether it is down (drawing as it moves).
    public private(set) var pen = (x: side / 2, y: side / 2)
    public private(set) var penIsDown = false
    /// Ink per pixel, 0 ... 1, row-major `[28 * 28]`.
    public private(set) var ink = [Float](repeating: 0, count: side * side)

    public init() {}

    public static func == (a: DrawingCanvas, b: DrawingCanvas) -> Bool {
        a.strokes == b.strokes && a.isStroking == b.isStroking && a.pen == b.pen && a.penIsDown == b.penIsDown
    }

    public var isEmpty: Bool { strokes.isEmpty }

    /// A point where the canvas is inside (clamped to it).
    public static func clamped(_ point: CanvasPoint) -> CanvasPoint {
        CanvasPoint(x: min(max(point.x, 0), Float(side)), y: min(max(point.y, 0), Float(side)))
    }

    /// The mouse went down at `point`: a new stroke (a dot until it moves).
    public mutating func begin(at point: CanvasPoint) {
        strokes.append([Self.clamped(point)])
        isStroking = true
        paint(strokes.count - 1)
    }

    /// The mouse moved with the button held: the stroke goes on to `point` (nothing when no stroke is
    /// under way, as after a release outside the terminal).
    public mutating func extend(to point: CanvasPoint) {
        guard isStroking, !strokes.isEmpty else { return }
        let point = Self.clamped(point)
        guard strokes[strokes.count - 1].last != point else { return }
        strokes[strokes.count - 1].append(point)
        paint(strokes.count - 1)
    }

    /// The button went up: the stroke is finished.
    public mutating func end() {
        isStroking = false
    }

    /// Space: lowers the pen (a dot where it stands, then a stroke as it moves) or lifts it.
    public mutating func togglePen() {
        if penIsDown {
            penIsDown = false
            end()
        } else {
            penIsDown = true
            begin(at: penCentre)
        }
    }

    /// An arrow: the pen moves one pixel (`dy` up positive, as on the plane), drawing when it is down.
    public mutating func movePen(dx: Int, dy: Int) {
        pen = (min(max(pen.x + dx, 0), Self.side - 1), min(max(pen.y - dy, 0), Self.side - 1))
        if penIsDown {
            if !isStroking { begin(at: penCentre) } else { extend(to: penCentre) }
        }
    }

    private var penCentre: CanvasPoint { CanvasPoint(x: Float(pen.x) + 0.5, y: Float(pen.y) + 0.5) }

    /// `u`: the last stroke goes (the one under way too). Returns whether there was one.
    @discardableResult
    public mutating func undo() -> Bool {
        guard !strokes.isEmpty else { return false }
        strokes.removeLast()
        isStroking = false
        penIsDown = false
        repaint()
        return true
    }

    /// `c`: every stroke goes; the pen stays where it is, lifted.
    public mutating func clear() {
        strokes = []
        isStroking = false
        penIsDown = false
        repaint()
    }

    private mutating func repaint() {
        ink = [Float](repeating: 0, count: Self.side * Self.side)
        for index in strokes.indices { paint(index) }
    }

    /// Paints stroke `index` on the ink (each pixel keeps the most ink any stroke gives it).
    private mutating func paint(_ index: Int) {
        let points = strokes[index]
        let segments = points.count == 1 ? [(points[0], points[0])] : Array(zip(points, points.dropFirst()))
        for (a, b) in segments {
            let reach = Self.brushEdge + 1
            let minX = max(0, Int((min(a.x, b.x) - reach).rounded(.down))), maxX = min(Self.side - 1, Int(max(a.x, b.x) + reach))
            let minY = max(0, Int((min(a.y, b.y) - reach).rounded(.down))), maxY = min(Self.side - 1, Int(max(a.y, b.y) + reach))
            guard minX <= maxX, minY <= maxY else { continue }
            for y in minY ... maxY {
                for x in minX ... maxX {
                    let value = Self.brush(distance: Self.distance(CanvasPoint(x: Float(x) + 0.5, y: Float(y) + 0.5), a, b))
                    if value > ink[y * Self.side + x] { ink[y * Self.side + x] = value }
                }
            }
        }
    }

    /// The soft round brush's ink at `distance` pixels from the stroke's centre line.
    static func brush(distance: Float) -> Float {
        min(1, max(0, (brushEdge - distance) / (brushEdge - brushCore)))
    }

    /// The distance from `p` to the segment from `a` to `b`.
    static func distance(_ p: CanvasPoint, _ a: CanvasPoint, _ b: CanvasPoint) -> Float {
        let dx = b.x - a.x, dy = b.y - a.y
        let length2 = dx * dx + dy * dy
        let t = length2 > 0 ? min(1, max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2)) : 0
        let ex = p.x - (a.x + t * dx), ey = p.y - (a.y + t * dy)
        return (ex * ex + ey * ey).squareRoot()
    }
}

/// A point on the canvas, in pixels (y down).
public struct CanvasPoint: Equatable, Sendable {
    public var x: Float
    public var y: Float

    public init(x: Float, y: Float) {
        self.x = x
        self.y = y
    }
}
