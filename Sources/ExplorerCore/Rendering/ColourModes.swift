/// `C` on the plane: how the explorer draws, cycled through what the terminal can show, for a
/// screenshot, a colour-blind reader or a terminal whose palette looks wrong. From the mode found at
/// start: 256 colours (grey pixels, class colours), then colour without the 256-grey pixels (shaded
/// letters), then plain (no colour at all), and back.
public enum ColourModes {
    /// The modes `C` steps through on a terminal whose best is `detected`, in order, `detected` first.
    public static func cycle(from detected: TerminalCapabilities) -> [TerminalCapabilities] {
        var modes = [detected]
        let shadedPixels: TerminalCapabilities.PixelStyle = detected.unicode ? .shades : .ascii
        if detected.pixels == .halfBlocks256 {
            modes.append(TerminalCapabilities(pixels: shadedPixels, colours: true, unicode: detected.unicode))
        }
        if detected.colours {
            modes.append(TerminalCapabilities(pixels: shadedPixels, colours: false, unicode: detected.unicode))
        }
        return modes
    }

    /// The mode after `current` in `detected`'s cycle.
    public static func next(after current: TerminalCapabilities, detected: TerminalCapabilities) -> TerminalCapabilities {
        let modes = cycle(from: detected)
        let index = modes.firstIndex(of: current) ?? 0
        return modes[(index + 1) % modes.count]
    }

    /// "256 colours", "colour" or "plain", for the status line.
    public static func name(_ mode: TerminalCapabilities) -> String {
        mode.pixels == .halfBlocks256 ? "256 colours" : mode.colours ? "colour" : "plain (no colour)"
    }
}
