/// The one sanitizer for text that comes from a file (metadata, tensor names, class names, file
/// contents, file names) before it reaches a message or a screen.
///
/// A terminal obeys some characters instead of showing them: C0 controls (ESC starts a sequence that
/// can retitle the window or clear the screen, CR and LF break a one-line message), DEL, the C1 controls
/// U+0080...U+009F (CSI U+009B is ESC [ on some terminals), the line and paragraph separators, and the
/// bidirectional embeddings, overrides and isolates U+202A...U+202E and U+2066...U+2069 (which reorder
/// what follows them, so a name can pretend to be another). Each is shown as `\u{hex}` instead.
public enum TextSanitizer {
    /// Whether `scalar` is shown escaped rather than passed to the terminal.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00 ..< 0x20, 0x7F ..< 0xA0: return true          // C0, DEL, C1
        case 0x2028, 0x2029: return true                         // line and paragraph separators
        case 0x202A ... 0x202E, 0x2066 ... 0x2069: return true   // bidi embeddings, overrides, isolates
        case 0x200E, 0x200F, 0x061C: return true                 // bidi marks
        default: return false
        }
    }

    /// `text` with every unsafe scalar escaped, cut to `limit` scalars (then "…") when given.
    public static func clean<S: Sequence>(_ text: S, limit: Int? = nil) -> String where S.Element == Unicode.Scalar {
        var out = ""
        var count = 0
        for scalar in text {
            if let limit, count == limit { out += "…"; break }
            if isUnsafe(scalar) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }

    public static func clean(_ text: String, limit: Int? = nil) -> String { clean(text.unicodeScalars, limit: limit) }

    /// `text` cleaned, cut to `limit` scalars and put in single quotes, for quoting a file's words in a message.
    public static func quoted<S: Sequence>(_ text: S, limit: Int = 60) -> String where S.Element == Unicode.Scalar {
        "'" + clean(text, limit: limit) + "'"
    }

    public static func quoted(_ text: String, limit: Int = 60) -> String { quoted(text.unicodeScalars, limit: limit) }

    /// The most characters of one message line built from what a file holds: a model naming 10,000
    /// classes must not make a 59,000-character line (contract/limits.json's `message_limit`).
    public static let messageLimit = 500

    /// `items` joined by `separator`, cleaned, stopping before the line would pass `limit` characters
    /// with "… and N more" (N items left out).
    public static func list(_ items: [String], separator: String = ", ", limit: Int = messageLimit) -> String {
        var out = ""
        for (index, item) in items.enumerated() {
            let piece = (index == 0 ? "" : separator) + clean(item, limit: limit)
            let remaining = items.count - index
            if out.count + piece.count > limit - (remaining > 1 ? 16 : 0) && index > 0 {
                return out + "… and \(remaining) more"
            }
            out += piece
        }
        return out
    }

    /// `line` cut to `limit` characters with "… and N more characters": the last guard, applied to every
    /// error line the program prints.
    public static func capped(_ line: String, limit: Int = messageLimit) -> String {
        let count = line.count
        guard count > limit else { return line }
        return String(line.prefix(limit)) + "… and \(count - limit) more characters"
    }

    /// Bytes of a file quoted as text (invalid UTF-8 shows as U+FFFD).
    public static func quoted(bytes: some Collection<UInt8>, limit: Int = 24) -> String {
        quoted(String(decoding: bytes.prefix(limit * 4), as: UTF8.self).unicodeScalars, limit: limit)
    }
}
