import Pictures

/// How the terminal can show pictures: the renderer picks characters and colours from this.
public struct TerminalCapabilities: Equatable, Sendable {
    /// How a decoded letter's pixels become characters.
    public enum PixelStyle: Equatable, Sendable {
        /// '▀' with a grey foreground (upper pixel) and background (lower pixel): 2 pixels a cell.
        case halfBlocks256
        /// Unicode shades ' ░▒▓█' of the mean of 2 vertical pixels.
        case shades
        /// An ASCII ramp ' .:-=+*#%@'.
        case ascii
    }

    public var pixels: PixelStyle
    /// Colours for classes, titles and the cursor (false: monochrome, e.g. NO_COLOR).
    public var colours: Bool
    /// Whether the terminal's character set is Unicode (UTF-8). Without it every cell is plain ASCII:
    /// frames of `+-|`, class symbols instead of Braille dots, the ASCII pixel ramp.
    public var unicode: Bool

    public init(pixels: PixelStyle, colours: Bool, unicode: Bool = true) {
        self.pixels = unicode ? pixels : .ascii
        self.colours = colours
        self.unicode = unicode
    }

    /// Chooses from what the terminal reports and what the user asked for. `unicode` is false when the
    /// locale's character set is not UTF-8 (e.g. LANG=C).
    public static func choose(colourCount: Int, noColour: Bool, asciiOnly: Bool, unicode: Bool = true) -> TerminalCapabilities {
        let colours = !noColour && colourCount >= 8
        if asciiOnly || !unicode { return TerminalCapabilities(pixels: .ascii, colours: colours, unicode: unicode && !asciiOnly) }
        if !noColour && colourCount >= 256 { return TerminalCapabilities(pixels: .halfBlocks256, colours: true) }
        return TerminalCapabilities(pixels: .shades, colours: colours)
    }
}

/// Colour choices, as xterm palette indices.
public enum Palette {
    /// xterm's grey ramp: 16 (black), 232...255 (24 greys), 231 (white): 26 levels.
    static let greys: [UInt8] = [16] + Array(232 ... 255) + [231]

    /// A grey for intensity v in [0, 1].
    public static func grey(_ v: Float) -> UInt8 {
        let index = Int((v.unitClamped * Float(greys.count - 1)).rounded())
        return greys[index]
    }

    /// Distinct, bright colours for up to 26 classes (then they repeat).
    static let classColours: [UInt8] = [196, 46, 33, 226, 201, 51, 208, 118, 129, 214, 39, 160, 82, 171, 220,
                                        45, 202, 154, 99, 190, 27, 165, 112, 209, 63, 148]

    public static func classColour(_ index: Int) -> UInt8 { classColours[index % classColours.count] }

    public static let accent: UInt8 = 75     // titles, bars
    public static let cursor: UInt8 = 214    // the cursor and markers
    public static let muted: UInt8 = 244     // help text, axes
    public static let dimmed: UInt8 = 240    // the classes not browsed, in the scatter and legend
    public static let pointA: UInt8 = 51     // interpolation point A
    public static let drawing: UInt8 = 213   // draw mode's drawing, ✎ on the plane
}
