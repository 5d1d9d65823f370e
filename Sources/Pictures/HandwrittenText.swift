/// Text to be written by a conditional model, one class per character: lines of letters and gaps,
/// and the picture of them once each letter is decoded (`picture(...)`).
///
/// A character is written with the model's class of that name; where there is none, with the class of
/// its other case (EMNIST's letters merge the cases, so 'H' is written as the class 'h'). A space (or a
/// tab) is a gap; a newline, or the two characters `\n` as a shell passes them, starts a new line.
/// Anything else is refused in one line that lists what the model can write (`HandwrittenText.Refusal`).
public struct HandwrittenText: Sendable, Equatable {
    /// One place on a line.
    public enum Glyph: Sendable, Equatable {
        /// A letter written with this class index (0-based, in the model's class order).
        case letter(Int)
        /// The gap between words.
        case space
    }

    public let lines: [[Glyph]]

    /// The class indices of the letters in reading order: one decoded image each.
    public var letterClasses: [Int] {
        lines.flatMap { $0.compactMap { if case .letter(let c) = $0 { return c } else { return nil } } }
    }

    /// Lays `text` out for a model whose classes are `classNames` (in class-index order).
    public init(_ text: String, classNames: [String]) throws {
        let normalised = text.replacingOccurrences(of: "\\n", with: "\n")
        var lines: [[Glyph]] = [[]]
        var unknown: [Character] = []
        for character in normalised {
            if character == "\n" || character == "\r\n" {
                lines.append([])
            } else if character == " " || character == "\t" {
                lines[lines.count - 1].append(.space)
            } else if let index = Self.classIndex(of: character, in: classNames) {
                lines[lines.count - 1].append(.letter(index))
            } else if !unknown.contains(character) {
                unknown.append(character)
            }
        }
        guard unknown.isEmpty else { throw Refusal.outsideClasses(unknown, classNames: classNames) }
        guard lines.contains(where: { $0.contains { $0 != .space } }) else { throw Refusal.nothingToWrite }
        self.lines = lines
    }

    /// The class named `character`, else the class named by its other case.
    public static func classIndex(of character: Character, in classNames: [String]) -> Int? {
        let name = String(character)
        if let exact = classNames.firstIndex(of: name) { return exact }
        for folded in [name.lowercased(), name.uppercased()] where folded != name {
            if let index = classNames.firstIndex(of: folded) { return index }
        }
        return nil
    }

    /// Why a text cannot be written, in one line.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case outsideClasses([Character], classNames: [String])
        case nothingToWrite

        public var description: String {
            switch self {
            case .outsideClasses(let characters, let classNames):
                let quoted = characters.map { "'" + Self.visible($0) + "'" }.joined(separator: ", ")
                let writable = classNames.filter { $0.count == 1 }
                let classes = writable.isEmpty
                    ? "none of its classes (\(classNames.joined(separator: ", "))) is a single character"
                    : "it writes \(writable.joined(separator: " ")) (other case folded), space, and \\n for a new line"
                return "cannot write \(quoted): the model has no class for \(characters.count == 1 ? "it" : "them"); \(classes)"
            case .nothingToWrite:
                return "nothing to write: the text has no letters"
            }
        }

        /// A character as it can be shown on one line: controls as \u{...}.
        private static func visible(_ character: Character) -> String {
            character.unicodeScalars.map { scalar in
                scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                    ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }.joined()
        }
    }

    // MARK: The picture

    /// Paper (black, as the data has it) between two letters of a word, in image pixels.
    public static let letterSpacing = 2
    /// A space between words: half a tile, about one narrow letter's width.
    public static func spaceWidth(tileWidth: Int) -> Int { tileWidth / 2 }
    /// A grey level at or above which a column holds ink, for cropping a letter to its width.
    public static let inkLevel: UInt8 = 64

    /// The columns of a `width x height` image that hold ink (the first through the last), or nil for
    /// an image without ink (it is then written at half the tile's width).
    static func inkColumns(_ image: ArraySlice<UInt8>, width: Int, height: Int) -> ClosedRange<Int>? {
        var first: Int?, last = 0
        for column in 0 ..< width {
            var inked = false
            for row in 0 ..< height where image[image.startIndex + row * width + column] >= inkLevel { inked = true; break }
            if inked {
                if first == nil { first = column }
                last = column
            }
        }
        return first.map { $0 ... last }
    }

    /// The written text as a picture: one strip per line, each letter cropped to its ink and set
    /// `letterSpacing` after the previous one (proportional, as handwriting is, rather than in 28-pixel
    /// cells, where an 'l' would stand alone in its cell), a space as `spaceWidth`; lines left-aligned,
    /// a gap apart. `letters` are the decoded letters' grey values (`letterClasses` order, `width x
    /// height` each); an `.idx` output holds them whole (`TilePicture.dataImages`).
    public func picture(title: String, letters: [UInt8], width: Int, height: Int) -> TilePicture {
        let pixelCount = width * height
        precondition(letters.count == letterClasses.count * pixelCount, "one decoded image per letter")
        let space = Self.spaceWidth(tileWidth: width)
        var strips: [[(source: Int?, columns: ClosedRange<Int>)]] = []
        var next = 0
        for line in lines {
            var strip: [(source: Int?, columns: ClosedRange<Int>)] = []
            for glyph in line {
                switch glyph {
                case .space:
                    strip.append((nil, 0 ... space - 1))
                case .letter:
                    let image = letters[next * pixelCount ..< (next + 1) * pixelCount]
                    strip.append((next, Self.inkColumns(image, width: width, height: height) ?? (width / 4 ... width / 4 + width / 2 - 1)))
                    next += 1
                }
            }
            strips.append(strip)
        }
        func stripWidth(_ strip: [(source: Int?, columns: ClosedRange<Int>)]) -> Int {
            strip.enumerated().reduce(0) { total, item in
                total + item.element.columns.count + (item.offset > 0 && item.element.source != nil && strip[item.offset - 1].source != nil ? Self.letterSpacing : 0)
            }
        }
        let lineWidth = max(1, strips.map(stripWidth).max() ?? 1)
        var tiles = [UInt8](repeating: 0, count: strips.count * lineWidth * height)
        for (row, strip) in strips.enumerated() {
            var x = 0
            for (offset, item) in strip.enumerated() {
                if offset > 0, item.source != nil, strip[offset - 1].source != nil { x += Self.letterSpacing }
                if let source = item.source {
                    for y in 0 ..< height {
                        for column in item.columns {
                            tiles[(row * height + y) * lineWidth + x + column - item.columns.lowerBound] = letters[source * pixelCount + y * width + column]
                        }
                    }
                }
                x += item.columns.count
            }
        }
        var picture = TilePicture(title: title, rows: strips.count, columns: 1, tileWidth: lineWidth, tileHeight: height, tiles: tiles)
        picture.dataImages = ImageStack(count: letterClasses.count, width: width, height: height, pixels: letters)
        return picture
    }
}
