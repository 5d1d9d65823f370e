import LetterData

/// The word line (`w`) under the plane: the typed text written letter by letter in the handwriting at
/// the cursor (a conditional model's decoder, told each letter, at the cursor's style code), redrawn as
/// the cursor moves, with the strip's letter sizes and gaps. A space is an empty slot; text longer than
/// the strip shows its end.
struct WordLinePane {
    let state: ExplorerState
    /// The decoded letters of `letters(state:rect:)`, in order (nil: not decoded yet).
    let decoded: [Float]?
    let capabilities: TerminalCapabilities

    /// The letters the strip in `rect` shows: each one's slot (0 = leftmost) and class index.
    static func letters(state: ExplorerState, rect: Rect) -> [(slot: Int, letter: Int)] {
        guard let style = state.style, state.wordLine.isShown else { return [] }
        let size = Layout.stripLetters(interiorWidth: rect.interior.width, maximumHeight: rect.interior.height)
        let capacity = max(1, TileSize.count(of: size.width, in: rect.interior.width))
        let shown = Array(state.wordLine.text.suffix(capacity))
        return shown.enumerated().compactMap { slot, character in
            style.classIndex(of: character).map { (slot, $0) }
        }
    }

    /// The latent points and classes to decode for the strip in `rect`: the cursor's code once per letter.
    static func points(state: ExplorerState, rect: Rect) -> (points: [Float], classes: [Int32])? {
        let letters = letters(state: state, rect: rect)
        guard !letters.isEmpty else { return nil }
        let code = state.cursorPoint
        return (Array(Array(repeating: code, count: letters.count).joined()), letters.map { Int32($0.letter) })
    }

    func draw(into buffer: inout CellBuffer, rect: Rect) {
        buffer.fill(rect)
        let style = PanelStyle(capabilities: capabilities)
        let inside = rect.interior
        let caret = state.wordLine.isEditing ? "▏" : ""
        let hint = state.wordLine.isEditing ? " · Enter keeps · Esc closes" : " · w edits"
        let text = state.wordLine.text.isEmpty && state.wordLine.isEditing ? "type a word" : state.wordLine.text
        buffer.frame(rect, title: "Written in the style at the cursor: \(text)\(caret)\(hint)", style: style.frame, titleStyle: style.title)
        guard let decoded else { return }
        let size = Layout.stripLetters(interiorWidth: inside.width, maximumHeight: inside.height)
        let pitch = size.width + TileSize.gap   // as the interpolation strip: letters with gaps, as on the plane
        let pixelCount = ImageSet.pixelCount
        for (position, letter) in Self.letters(state: state, rect: rect).enumerated() where (position + 1) * pixelCount <= decoded.count {
            PixelArt.draw(Array(decoded[position * pixelCount ..< (position + 1) * pixelCount]), side: ImageSet.side, into: &buffer,
                          rect: Rect(x: inside.x + TileSize.gap + letter.slot * pitch, y: inside.y, width: size.width, height: min(size.height, inside.height)),
                          style: capabilities.pixels)
        }
    }
}
