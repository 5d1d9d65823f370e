import Foundation
import LetterData
import VAE

/// The blog's figures in one picture: for each model, a title, its key figures, the latent grid
/// (images decoded over the plane) and the scatter of test codes on the same plane, side by side and
/// at the same scale for every model, with a legend of the classes' colours. Written as SVG (the grid
/// embedded as a PNG) or as a colour PNG (text in a built-in pixel font).
public struct ComparisonFigure {
    /// One model's row of the figure.
    public struct Panel: Sendable {
        public var title: String
        /// Short lines of figures under the title.
        public var lines: [String]
        /// `gridCells x gridCells` decoded images, grey bytes, `gridCells*28` pixels a side.
        public var gridPixels: [UInt8]
        public var gridCells: Int
        /// Plane coordinates `[count, 2]` of the test codes, and their labels.
        public var points: [Float]
        public var labels: [Int]

        /// Decodes the grid of `model` over [-range, range]² of `plane` and projects `codes` on it. A
        /// conditional model's grid is its style plane of class `letter` (default: its first class),
        /// which a line under the title names.
        public init(title: String, lines: [String], model: VAEModel, plane: PlaneProjection, range: Float,
                    codes: [Float], labels: [Int], gridCells: Int = ComparisonFigure.gridCells, letter: Int32? = nil) {
            self.title = title
            let letter: Int32? = model.isConditional ? (letter ?? 0) : nil
            self.lines = lines + (letter.map { ["grid: the style plane of '\(model.classNames[Int($0)])'"] } ?? [])
            self.gridCells = gridCells
            self.labels = labels
            points = plane.project(codes)
            var latent: [Float] = []
            for row in 0 ..< gridCells {
                for column in 0 ..< gridCells {
                    // Cell centres; the top row is +y, as on a plot.
                    let x = -range + 2 * range * (Float(column) + 0.5) / Float(gridCells)
                    let y = range - 2 * range * (Float(row) + 0.5) / Float(gridCells)
                    latent += plane.point(x: x, y: y)
                }
            }
            let decoded = Inference(model: model).decodeBatch(latent, classes: letter.map { [Int32](repeating: $0, count: gridCells * gridCells) })
            let side = gridCells * ImageSet.side, cell = ImageSet.side
            var pixels = [UInt8](repeating: 0, count: side * side)
            for index in 0 ..< gridCells * gridCells {
                let (row, column) = (index / gridCells, index % gridCells)
                for y in 0 ..< cell {
                    for x in 0 ..< cell {
                        let p = decoded[index * cell * cell + y * cell + x]
                        pixels[(row * cell + y) * side + column * cell + x] = UInt8(max(0, min(255, (p * 255).rounded())))
                    }
                }
            }
            gridPixels = pixels
        }
    }

    /// Images per side of each grid.
    public static let gridCells = 15
    /// Pixels per side of each grid and scatter square in the figure.
    static let square = 420
    static let margin = 16
    static let textLine = 16

    public var panels: [Panel]
    /// The half-width of the plane every panel shows.
    public var range: Float
    public var classNames: [Int: String]
    /// A line under the figure (e.g. the data set).
    public var caption: String

    public init(panels: [Panel], range: Float, classNames: [Int: String], caption: String) {
        self.panels = panels
        self.range = range
        self.classNames = classNames
        self.caption = caption
    }

    /// The classes drawn, sorted.
    var classes: [Int] { Array(Set(panels.flatMap(\.labels))).sorted() }

    /// A distinct colour per class index: hues a golden angle apart, alternating lightness.
    static func colour(_ index: Int) -> (UInt8, UInt8, UInt8) {
        let hue = (Double(index) * 137.508).truncatingRemainder(dividingBy: 360) / 60
        let (s, l) = (0.75, index % 2 == 0 ? 0.55 : 0.42)
        let c = (1 - abs(2 * l - 1)) * s
        let x = c * (1 - abs(hue.truncatingRemainder(dividingBy: 2) - 1))
        let (r, g, b): (Double, Double, Double) = switch Int(hue) {
        case 0: (c, x, 0)
        case 1: (x, c, 0)
        case 2: (0, c, x)
        case 3: (0, x, c)
        case 4: (x, 0, c)
        default: (c, 0, x)
        }
        let m = l - c / 2
        func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, ((v + m) * 255).rounded()))) }
        return (byte(r), byte(g), byte(b))
    }

    /// Layout: each panel is a block of text lines then the two squares; the legend and caption last.
    var headerHeight: Int { Self.textLine * (1 + (panels.map(\.lines.count).max() ?? 0)) + 6 }
    var panelHeight: Int { headerHeight + Self.square + Self.margin }
    public var width: Int { 3 * Self.margin + 2 * Self.square }
    var legendRows: Int { (classes.count + legendColumns - 1) / legendColumns }
    var legendColumns: Int { max(1, (width - 2 * Self.margin) / 70) }
    public var height: Int { Self.margin + panels.count * panelHeight + (legendRows + 2) * Self.textLine + Self.margin }

    /// Pixel position of plane coordinates inside a square whose top-left corner is (left, top).
    func position(_ x: Float, _ y: Float, left: Int, top: Int) -> (Double, Double) {
        let s = Double(Self.square)
        return (Double(left) + (Double(x / range) + 1) / 2 * s, Double(top) + (1 - Double(y / range)) / 2 * s)
    }
}
