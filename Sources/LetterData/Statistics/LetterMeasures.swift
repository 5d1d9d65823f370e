/// Measurements of one 28x28 letter image (upright, 0 = background, 255 = full ink) that describe
/// how it was written and framed: how much ink, how big and where, how thick the pen, how slanted.
/// `LetterStatistics` compares data sets through them.
///
/// Coordinates are in pixels with x to the right and y downwards; offsets are from the image centre.
public struct LetterMeasures: Sendable, Equatable {
    /// A pixel at least this bright is inside the stroke (half ink: the edge of an anti-aliased pen).
    public static let strokeThreshold: UInt8 = 128

    /// Total ink, in full pixels: the sum of the values / 255.
    public var ink: Double
    /// Pixels inside the stroke (at least `strokeThreshold`).
    public var strokePixels: Int
    /// Of the pixels with any ink, the fraction below half ink: how soft the edges are.
    public var softEdgeFraction: Double
    /// Width and height of the box around every pixel with any ink.
    public var width: Int
    public var height: Int
    /// Centre of that box, from the image centre.
    public var boxCentreX: Double
    public var boxCentreY: Double
    /// Centre of mass of the ink, from the image centre.
    public var centroidX: Double
    public var centroidY: Double
    /// The pen's width across the stroke, in pixels: stroke area over pen-path length (see `strokeWidth(area:skeleton:side:)`).
    public var strokeWidth: Double
    /// Horizontal shear of the ink, -cov(x, y) / var(y): 0.2 means the top leans 0.2 px right per px up.
    public var slant: Double

    public init(image: ArraySlice<UInt8>) {
        let side = ImageSet.side
        precondition(image.count == side * side, "a letter image has 784 pixels")
        let base = image.startIndex
        var sum = 0.0, sumX = 0.0, sumY = 0.0, sumXX = 0.0, sumYY = 0.0, sumXY = 0.0
        var stroke = 0, anyInk = 0, soft = 0
        var (minX, maxX, minY, maxY) = (side, -1, side, -1)
        var mask = [Bool](repeating: false, count: side * side)
        for y in 0 ..< side {
            for x in 0 ..< side {
                let value = image[base + y * side + x]
                guard value > 0 else { continue }
                anyInk += 1
                if value >= Self.strokeThreshold { stroke += 1; mask[y * side + x] = true } else { soft += 1 }
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
                // Moments about pixel centres (x + 0.5, y + 0.5), weighted by ink.
                let (w, px, py) = (Double(value) / 255, Double(x) + 0.5, Double(y) + 0.5)
                sum += w; sumX += w * px; sumY += w * py
                sumXX += w * px * px; sumYY += w * py * py; sumXY += w * px * py
            }
        }
        let centre = Double(side) / 2
        ink = sum
        strokePixels = stroke
        softEdgeFraction = anyInk > 0 ? Double(soft) / Double(anyInk) : 0
        if anyInk > 0 {
            width = maxX - minX + 1
            height = maxY - minY + 1
            boxCentreX = Double(minX + maxX + 1) / 2 - centre
            boxCentreY = Double(minY + maxY + 1) / 2 - centre
        } else {
            (width, height, boxCentreX, boxCentreY) = (0, 0, 0, 0)
        }
        if sum > 0 {
            let (meanX, meanY) = (sumX / sum, sumY / sum)
            centroidX = meanX - centre
            centroidY = meanY - centre
            let varianceY = sumYY / sum - meanY * meanY
            let covariance = sumXY / sum - meanX * meanY
            slant = varianceY > 1e-9 ? -covariance / varianceY : 0
        } else {
            (centroidX, centroidY, slant) = (0, 0, 0)
        }
        strokeWidth = Self.strokeWidth(area: stroke, skeleton: Thinning.skeleton(mask, side: side), side: side)
    }

    /// Width w from area A = w * L, where the pen path's length L is the skeleton's pixel count S plus
    /// w / 2 for each of its E free ends (thinning eats half a pen width at every end):
    /// (E / 2) w² + S w - A = 0.
    static func strokeWidth(area: Int, skeleton: [Bool], side: Int) -> Double {
        var length = 0, ends = 0
        for y in 0 ..< side {
            for x in 0 ..< side where skeleton[y * side + x] {
                length += 1
                var neighbours = 0
                for dy in -1 ... 1 {
                    for dx in -1 ... 1 where dx != 0 || dy != 0 {
                        let (nx, ny) = (x + dx, y + dy)
                        if nx >= 0, nx < side, ny >= 0, ny < side, skeleton[ny * side + nx] { neighbours += 1 }
                    }
                }
                if neighbours <= 1 { ends += neighbours == 0 ? 2 : 1 }
            }
        }
        guard length > 0 else { return 0 }
        let (a, s, e) = (Double(area), Double(length), Double(ends))
        guard e > 0 else { return a / s }
        return (-s + (s * s + 2 * e * a).squareRoot()) / e
    }
}
