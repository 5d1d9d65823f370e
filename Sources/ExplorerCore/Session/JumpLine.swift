import Foundation

/// `/`: a line typed on the status line that jumps to a test letter by the number the side pane shows
/// (`#2490`, or `2490`) or to a class by its name (`e`, `T-shirt/top`), browsing it; Enter jumps, Esc
/// cancels, Backspace deletes.
public struct JumpLine: Equatable, Sendable {
    public private(set) var text = ""
    /// Characters kept at most: a number or a class name, never a paragraph.
    static let maximumLength = 40

    public init() {}

    public enum Outcome: Equatable, Sendable { case editing, cancelled, submitted(String) }

    /// One key typed into the line.
    public mutating func edit(_ key: Key) -> Outcome {
        switch key {
        case .escape: return .cancelled
        case .enter: return .submitted(text.trimmingCharacters(in: .whitespaces))
        case .character("\u{7F}"), .character("\u{8}"):
            if !text.isEmpty { text.removeLast() }
        case .character(let c) where !c.isASCII || (c.asciiValue.map { $0 >= 0x20 && $0 < 0x7F } ?? false):
            if text.count < Self.maximumLength { text.append(c) }
        default: break
        }
        return .editing
    }

    /// The status line while typing.
    public var prompt: String { "Jump to: \(text)▏ (a test letter's # or a class; Enter goes, Esc cancels)" }

    /// Where `query` goes on `state`'s catalog: the class and the letter within it to browse, or why
    /// nothing matches. `sourceIndices[i]` is the number shown for test letter i, `labels[i]` its class.
    public static func resolve(_ query: String, catalog: ClassCatalog, sourceIndices: [Int], labels: [Int])
        -> Result<(browseClass: Int, browseItem: Int), JumpError> {
        let digits = query.hasPrefix("#") ? String(query.dropFirst()) : query
        if let number = Int(digits) {
            guard let position = sourceIndices.firstIndex(of: number),
                  let entry = catalog.entryIndex(ofLabel: labels[position]),
                  let item = catalog.entries[entry].testIndices.firstIndex(of: position) else {
                return .failure(JumpError("No test \(catalog.singleItemNoun) #\(number) among the \(sourceIndices.count) shown"))
            }
            return .success((entry, item))
        }
        if let entry = catalog.entries.firstIndex(where: { $0.name.lowercased() == query.lowercased() }) {
            return .success((entry, 0))
        }
        let names = catalog.entries.map(\.name).prefix(8).joined(separator: " ")
        return .failure(JumpError("Nothing called '\(TextFit.shorten(query, to: 20))': type a test \(catalog.singleItemNoun)'s # or a class (\(names)…)"))
    }
}

/// Why a jump found nothing, in one line for the status bar.
public struct JumpError: Error, Equatable, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
}
