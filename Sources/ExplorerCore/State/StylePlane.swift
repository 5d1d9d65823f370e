import Pictures

/// A conditional model's plane: its two latent dimensions hold the handwriting *style* (slant, width,
/// stroke, loops), the decoder is told the letter, so every tile of the plane shows the same letter in
/// the style of its point. `'` then a letter picks which letter; `n` and `N` step through them.
public struct StylePlane: Equatable, Sendable {
    /// The model's classes in the order of its one-hot inputs (class index y is `classNames[y]`).
    public let classNames: [String]
    /// The class every tile of the plane draws.
    public internal(set) var letter: Int
    /// `'` was pressed: the next key names the letter.
    public internal(set) var awaitsLetter = false

    public init(classNames: [String], letter: Int = 0) {
        precondition(!classNames.isEmpty, "a conditional model has classes")
        self.classNames = classNames
        self.letter = classNames.indices.contains(letter) ? letter : 0
    }

    /// The name of the letter the plane draws, e.g. "h".
    public var letterName: String { classNames[letter] }

    /// The class a typed character names (its own case first, then the other: EMNIST merges cases).
    public func classIndex(of character: Character) -> Int? {
        HandwrittenText.classIndex(of: character, in: classNames)
    }

    /// The classes as a short list for messages: "a…z", or every name when they are few.
    var classList: String {
        classNames.count > 12 ? "\(classNames[0])…\(classNames[classNames.count - 1])" : classNames.joined(separator: " ")
    }
}

extension ExplorerState {
    /// Keys of the style plane and the word line, before the plane's own: `'` and its letter, `n` `N`,
    /// `w`; while the word line is being typed, every key but the arrows goes to it. nil: not such a key.
    mutating func applyTypedStyleKey(_ key: Key) -> ExplorerAction? {
        if wordLine.isEditing, let action = editWordLine(key) { return action }
        guard mode == .plane, var style, style.awaitsLetter else { return nil }
        style.awaitsLetter = false
        defer { self.style = style }
        guard case .character(let c) = key else { return .notice("No letter chosen: the plane still draws '\(style.letterName)'") }
        guard let index = style.classIndex(of: c) else {
            return .notice("The model has no letter '\(c)': it draws \(style.classList)")
        }
        style.letter = index
        return .notice("The plane draws '\(style.letterName)' in every style: each point is a handwriting")
    }

    /// `'`, `n` `N` and `w`: what a plain model says to them, else the style plane's command.
    mutating func performStyleCommand(_ command: KeyCommand) -> ExplorerAction {
        guard var style else { return .notice(Self.plainModelNote) }
        switch command {
        case .pickStyleLetter:
            style.awaitsLetter = true
            self.style = style
            return .notice("Which letter? Type one of \(style.classList)")
        case .stepStyleLetter(let offset):
            stepLetter(by: offset)
            return .none
        default:
            wordLine.isShown = true
            wordLine.isEditing = true
            showsInterpolation = false
            return .notice("Type a word: it is written in the style at the cursor · arrows move · Enter keeps it · Esc closes")
        }
    }

    /// `n` / `N`: the next or previous letter, round the alphabet.
    public mutating func stepLetter(by offset: Int) {
        guard var style else { return }
        let count = style.classNames.count
        style.letter = ((style.letter + offset) % count + count) % count
        self.style = style
    }

    /// Draws `letter` (a class index) when the model is conditional.
    public mutating func selectLetter(_ letter: Int) {
        guard var style, style.classNames.indices.contains(letter) else { return }
        style.letter = letter
        self.style = style
    }

    static let plainModelNote = "' n N w are for a conditional VAE's style plane (train --arch cvae): this model has no letters to choose"
}
