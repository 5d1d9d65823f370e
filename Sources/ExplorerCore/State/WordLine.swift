/// The word line (`w`): text typed by the user, written under the plane in the handwriting at the
/// cursor and redrawn as the cursor moves. While it is being typed, letters go to it and the arrows
/// still move the cursor; Enter keeps it shown and gives the keys back, Esc closes it.
public struct WordLine: Equatable, Sendable {
    public internal(set) var text = ""
    /// Whether it is shown under the plane.
    public internal(set) var isShown = false
    /// Whether keys type into it.
    public internal(set) var isEditing = false

    /// The longest text kept: more letters than the widest strip shows at its smallest size.
    public static let maximumLength = 60

    public init() {}
}

extension ExplorerState {
    /// A key while the word line is being typed; nil hands it on (the arrows move the cursor).
    mutating func editWordLine(_ key: Key) -> ExplorerAction? {
        switch key {
        case .escape:
            wordLine.isEditing = false
            wordLine.isShown = false
            return .notice("Word line closed; w opens it again with the same text")
        case .enter:
            wordLine.isEditing = false
            return .notice("The word stays, written in the style at the cursor; w edits it, Esc closes it")
        case .character("\u{7F}"), .character("\u{08}"):
            if !wordLine.text.isEmpty { wordLine.text.removeLast() }
            return ExplorerAction.none
        case .character(let c):
            guard let style else { return ExplorerAction.none }
            if c == " " || style.classIndex(of: c) != nil {
                guard wordLine.text.count < WordLine.maximumLength else {
                    return .notice("The word line holds \(WordLine.maximumLength) characters")
                }
                wordLine.text.append(c)
                return ExplorerAction.none
            }
            return .notice("The model has no letter '\(c)': it writes \(style.classList) and spaces")
        case .tab:
            return ExplorerAction.none
        default:
            return nil   // the arrows: the cursor moves and the word is redrawn in the new style
        }
    }
}
