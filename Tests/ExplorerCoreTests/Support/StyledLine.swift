/// A line of `tmux capture-pane -e` output read back into characters with their SGR attributes, so
/// tests can ask how a given character was drawn.
struct StyledLine {
    struct Character: Equatable {
        var value: Swift.Character
        var bold = false
        var dim = false
        var reverse = false
        var foreground: Int?
    }

    private(set) var characters: [Character] = []

    init(_ text: String) {
        var current = Character(value: " ")
        var iterator = Array(text)[...]
        while let next = iterator.popFirst() {
            guard next == "\u{1B}" else {
                current.value = next
                characters.append(current)
                continue
            }
            guard iterator.first == "[" else { continue }
            iterator = iterator.dropFirst()
            var parameters = ""
            while let c = iterator.popFirst(), c != "m" { parameters.append(c) }
            Self.apply(parameters, to: &current)
        }
    }

    private static func apply(_ parameters: String, to style: inout Character) {
        var codes = parameters.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }[...]
        if codes.isEmpty { codes = [0] }
        while let code = codes.popFirst() {
            switch code {
            case 0: style = Character(value: " ")
            case 1: style.bold = true
            case 2: style.dim = true
            case 7: style.reverse = true
            case 22: style.bold = false; style.dim = false
            case 27: style.reverse = false
            case 39: style.foreground = nil
            case 38 where codes.first == 5:
                codes = codes.dropFirst()
                style.foreground = codes.popFirst()
            default: break
            }
        }
    }

    /// How the first occurrence of `value` is drawn.
    func first(_ value: Swift.Character) -> Character? { characters.first { $0.value == value } }
}
