import Foundation

/// CSV files of 28x28 images, one a line: a label, then 784 pixels in EMNIST's column-major order
/// (transposed on load, as with the IDX files). The EMNIST CSV export is the reference; the variants
/// other tools write are read too:
///
/// - values written as integers (`13`) or as floats (`13.0`, `2.5e1`); pixels are rounded to the
///   nearest of 0...255, and a label must be a whole number;
/// - pixels scaled to 0...1 (`0.0039…`, or binarised 0/1): when no pixel in the file exceeds 1, every
///   pixel is multiplied by 255 and rounded. The rule is per file: real 0...255 images always hold
///   values above 1, and 0...1 images never do;
/// - a header row: a first line whose label field is not a number (`label,pixel0,...`), or that is
///   just the column numbers `0,1,...,784` (pandas' default header). A header that names a later
///   column "label" is refused, since the label must come first;
/// - CRLF or CR line endings, a UTF-8 byte order mark, blank lines anywhere, spaces around values.
///
/// Anything else gets a one-line error with the file, line and field.
///
/// A byte-level parser: no String per line or field, one pass (a second only for 0...1 files), so
/// the 88,800-line file (about 190 MB) parses in well under a second in a release build.
enum CSVReader {
    static let fieldsPerRow = ImageSet.pixelCount + 1
    /// The largest CSV file (inflated): the EMNIST letters export is 190 MB; 512 MB holds any set whose
    /// pixels (a quarter of the text or less) stay within the program's memory.
    static let maximumFileBytes = 512 << 20

    static func read(_ path: String, transposed: Bool = true) throws -> ImageSet {
        try parse(FileBytes.read(path, limit: maximumFileBytes), path: path, transposed: transposed)
    }

    static func parse(_ bytes: [UInt8], path: String, transposed: Bool = true) throws -> ImageSet {
        try bytes.withUnsafeBufferPointer { buffer in
            var start = ByteOrderMarks.end(of: buffer)
            var line = 1
            // Leading blank lines, then perhaps a header.
            while let next = skipBlankLine(buffer, at: start) { start = next; line += 1 }
            if try isHeader(buffer, at: start, path: path, line: line) {
                start = endOfLine(buffer, from: start).next
                line += 1
            }
            var parser = RowParser(buffer: buffer, path: path, transposed: transposed, unitScaled: false)
            let firstPass = try parser.parseRows(from: start, line: line)
            guard firstPass.labels.count > 0 else { throw DataError.empty(path) }
            if !parser.exceedsOne && parser.anyInk {
                // No pixel above 1: the file holds 0...1 values. Read it again, scaled by 255.
                var scaled = RowParser(buffer: buffer, path: path, transposed: transposed, unitScaled: true)
                return try scaled.parseRows(from: start, line: line)
            }
            return firstPass
        }
    }

    /// The index after a line holding only spaces and tabs, or nil when the line at `i` holds more.
    private static func skipBlankLine(_ buffer: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        var j = i
        while j < buffer.count, buffer[j] == .space || buffer[j] == .tab { j += 1 }
        guard j < buffer.count, buffer[j] == .newline || buffer[j] == .carriageReturn else { return nil }
        return endOfLine(buffer, from: j).next
    }

    /// Where the line holding `i` ends, and where the next begins (after `\n`, `\r\n` or `\r`).
    static func endOfLine(_ buffer: UnsafeBufferPointer<UInt8>, from i: Int) -> (end: Int, next: Int) {
        var j = i
        while j < buffer.count, buffer[j] != .newline, buffer[j] != .carriageReturn { j += 1 }
        guard j < buffer.count else { return (j, j) }
        if buffer[j] == .carriageReturn, j + 1 < buffer.count, buffer[j + 1] == .newline { return (j, j + 2) }
        return (j, j + 1)
    }

    /// A header is recognised by its content: the column numbers 0...784 (or 1...785), or a first field
    /// that is not a number with other fields that are not numbers either ("label,pixel1,..."). A line
    /// of numbers whose first field alone is not one is a data row with a bad label, reported as such,
    /// never dropped as a header.
    private static func isHeader(_ buffer: UnsafeBufferPointer<UInt8>, at start: Int, path: String, line: Int) throws -> Bool {
        let end = endOfLine(buffer, from: start).end
        guard start < end else { return false }
        var fields: [Range<Int>] = []
        var fieldStart = start
        for i in start ... end where i == end || buffer[i] == .comma {
            fields.append(fieldStart ..< i)
            fieldStart = i + 1
            if fields.count > fieldsPerRow + 1 { break }
        }
        let numbers = fields.map { NumberParser.wholeValue(of: UnsafeBufferPointer(rebasing: buffer[$0])) }
        if numbers[0] == nil {
            let names = fields.map { String(decoding: UnsafeBufferPointer(rebasing: buffer[$0]), as: UTF8.self).trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'")).lowercased() }
            if let column = names.dropFirst().firstIndex(where: { ["label", "labels", "class", "target"].contains($0) }) {
                throw DataError.badCSVRow(path: path, line: line, reason:
                    "the header names column \(column + 1) \(DataError.quoted(names[column].unicodeScalars)); the label must be the first column")
            }
            return fields.count == 1 || numbers.dropFirst().contains(where: { $0 == nil })
        }
        for first in [0, 1] where numbers.count == fieldsPerRow {
            if numbers.enumerated().allSatisfy({ $0.element == Double($0.offset + first) }) { return true }
        }
        return false
    }
}

/// One pass over the rows of a CSV file.
private struct RowParser {
    let buffer: UnsafeBufferPointer<UInt8>
    let path: String
    let transposed: Bool
    /// Pixels are 0...1 and are scaled by 255.
    let unitScaled: Bool
    /// Some pixel exceeded 1 / was not 0: decides whether the file is 0...1.
    private(set) var exceedsOne = false
    private(set) var anyInk = false

    init(buffer: UnsafeBufferPointer<UInt8>, path: String, transposed: Bool, unitScaled: Bool) {
        self.buffer = buffer
        self.path = path
        self.transposed = transposed
        self.unitScaled = unitScaled
    }

    mutating func parseRows(from start: Int, line firstLine: Int) throws -> ImageSet {
        var labels: [Int] = []
        var pixels: [UInt8] = []
        let estimatedRows = (buffer.count - start) / (CSVReader.fieldsPerRow * 2) + 1
        labels.reserveCapacity(estimatedRows)
        pixels.reserveCapacity(estimatedRows * ImageSet.pixelCount)
        // Where the file's pixel p goes in the upright image: the file is column-major when transposed.
        let destination = UnsafeMutablePointer<Int>.allocate(capacity: ImageSet.pixelCount)
        let row = UnsafeMutablePointer<UInt8>.allocate(capacity: ImageSet.pixelCount)
        row.initialize(repeating: 0, count: ImageSet.pixelCount)
        defer { destination.deallocate(); row.deallocate() }
        for p in 0 ..< ImageSet.pixelCount { destination[p] = transposed ? ImageSet.transposedOffset(p) : p }
        var i = start
        var line = firstLine
        while i < buffer.count {
            if let next = emptyLineEnd(at: i) { i = next; line += 1; continue }
            labels.append(try parseRow(at: &i, line: line, into: row, placing: destination))
            pixels.append(contentsOf: UnsafeBufferPointer(start: row, count: ImageSet.pixelCount))
            line += 1
        }
        return ImageSet(pixels: pixels, labels: labels)
    }

    /// Past the end of the empty or blank line (spaces and tabs only) that starts at `i`, or nil when a
    /// row starts there.
    @inline(__always)
    private func emptyLineEnd(at i: Int) -> Int? {
        let c = buffer[i]
        if c == .newline { return i + 1 }
        if c == .carriageReturn { return i + ((i + 1 < buffer.count && buffer[i + 1] == .newline) ? 2 : 1) }
        if c == .space || c == .tab { return blankLineEnd(from: i) }
        return nil
    }

    /// Reads the row that starts at `i` (on `line`) into `row`, each pixel at its `destination`, moves
    /// `i` past the row's line end and returns the row's label.
    @inline(__always)
    private mutating func parseRow(at i: inout Int, line: Int, into row: UnsafeMutablePointer<UInt8>,
                                   placing destination: UnsafeMutablePointer<Int>) throws -> Int {
        let fields = CSVReader.fieldsPerRow
        var label = 0
        var field = 0
        while true {
            let terminator: UInt8
            if !unitScaled && field > 0 && field < fields, let fast = plainPixel(at: &i, into: &row[destination[field - 1]]) {
                terminator = fast
            } else {
                terminator = try anyField(at: &i, line: line, field: field, label: &label, into: row, placing: destination)
            }
            field += 1
            if terminator != .comma { break }
        }
        guard field == fields else {
            throw DataError.badCSVRow(path: path, line: line, reason: "expected \(fields) fields (a label and \(fields - 1) pixels), found \(field)")
        }
        return label
    }

    /// The fast path, for what nearly every pixel looks like: 1-3 digits of at most 255, perhaps `.0`,
    /// then the end of the field. Stores the pixel, moves `i` past the field's end and returns the
    /// character that ended it; nil (and `i` unmoved) when the field is anything else.
    @inline(__always)
    private mutating func plainPixel(at i: inout Int, into pixel: inout UInt8) -> UInt8? {
        let end = buffer.count
        var j = i, value = 0
        while j < end, j - i < 3, buffer[j] &- .zero < 10 { value = value * 10 + Int(buffer[j] &- .zero); j += 1 }
        guard j > i else { return nil }
        if j + 1 < end, buffer[j] == .period, buffer[j + 1] == .zero { j += 2 }
        let terminator = j < end ? buffer[j] : .newline
        guard value <= 255 && (terminator == .comma || terminator == .newline || terminator == .carriageReturn) else { return nil }
        if value > 1 { exceedsOne = true }
        if value > 0 { anyInk = true }
        pixel = UInt8(truncatingIfNeeded: value)
        i = j + 1
        if terminator == .carriageReturn, i < end, buffer[i] == .newline { i += 1 }
        return terminator
    }

    /// Any field (the label, a pixel in any number syntax, or one too many), checked in full: sets
    /// `label` or stores the pixel, moves `i` past the field's end and returns the character that ended it.
    private mutating func anyField(at i: inout Int, line: Int, field: Int, label: inout Int, into row: UnsafeMutablePointer<UInt8>,
                                   placing destination: UnsafeMutablePointer<Int>) throws -> UInt8 {
        let fields = CSVReader.fieldsPerRow
        let fieldStart = i
        var number = NumberParser()
        number.scan(buffer, &i)
        let terminator = i < buffer.count ? buffer[i] : .newline
        guard terminator == .comma || terminator == .newline || terminator == .carriageReturn else {
            throw failure(line, field, "\(quotedField(from: fieldStart)) is not a number")
        }
        if !number.hasDigits {
            if field < fields { throw failure(line, field, number.isEmpty ? "is empty (a missing value?)" : "\(quotedField(from: fieldStart)) is not a number") }
        } else if field == 0 {
            let value = number.value
            guard value >= 0, value <= Double(ClassNames.labelRange.upperBound), value == value.rounded(.down) else {
                throw failure(line, field, "\(quotedField(from: fieldStart)) is not a whole number in \(ClassNames.labelRange)")
            }
            label = Int(value)
        } else if field < fields {
            let value = number.value * (unitScaled ? 255 : 1)
            // Written so that NaN fails too. (A 0...1 file reaches the second pass only when
            // every value passed this check in the first.)
            guard value >= 0, value < 255.5 else {
                throw failure(line, field, "\(quotedField(from: fieldStart)) is outside 0...255")
            }
            if value > 1 { exceedsOne = true }
            if value > 0 { anyInk = true }
            row[destination[field - 1]] = UInt8(value.rounded())
        }
        i += 1
        if terminator == .carriageReturn, i < buffer.count, buffer[i] == .newline { i += 1 }
        return terminator
    }

    /// After a line of only spaces and tabs from `i`, or nil.
    private func blankLineEnd(from i: Int) -> Int? {
        var j = i
        while j < buffer.count, buffer[j] == .space || buffer[j] == .tab { j += 1 }
        if j == buffer.count { return j }
        guard buffer[j] == .newline || buffer[j] == .carriageReturn else { return nil }
        return j + (buffer[j] == .carriageReturn && j + 1 < buffer.count && buffer[j + 1] == .newline ? 2 : 1)
    }

    private func quotedField(from start: Int) -> String {
        var j = start
        while j < buffer.count, buffer[j] != .comma, buffer[j] != .newline, buffer[j] != .carriageReturn { j += 1 }
        return DataError.quoted(bytes: UnsafeBufferPointer(rebasing: buffer[start ..< j]))
    }

    private func failure(_ line: Int, _ field: Int, _ reason: String) -> DataError {
        let what = field == 0 ? "field 1 (label)" : "field \(field + 1) (pixel \(field))"
        return DataError.badCSVRow(path: path, line: line, reason: "\(what) \(reason)")
    }
}

/// A decimal number as CSV writers print it: `[+-]digits[.digits][(e|E)[+-]digits]`, with spaces or
/// tabs around it. Digits past the 18th significant one are dropped (pixels need 3), so no input
/// overflows; the value is computed only once the whole field is scanned.
struct NumberParser {
    private var whole: UInt64 = 0
    /// Integer digits dropped past the 18th: the value is scaled by 10^droppedWholeDigits.
    private var droppedWholeDigits = 0
    private var fraction: UInt64 = 0
    private var fractionDigits = 0
    private var exponent = 0
    private var negative = false
    private(set) var hasDigits = false
    /// Nothing but spaces was scanned.
    private(set) var isEmpty = true

    private static let maximumDigits = 18
    private static let powersOfTen: [Double] = (0 ... 22).map { Foundation.pow(10, Double($0)) }

    /// Scans one field starting at `i`, leaving `i` at the first byte that is not part of it.
    @inline(__always)
    mutating func scan(_ buffer: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        let end = buffer.count
        while i < end, buffer[i] == .space || buffer[i] == .tab { i += 1 }
        guard i < end else { return }
        let first = i
        if buffer[i] == .minus || buffer[i] == .plus { negative = buffer[i] == .minus; i += 1 }
        var wholeDigits = 0
        while i < end, buffer[i] &- .zero < 10 {
            if wholeDigits < Self.maximumDigits { whole = whole &* 10 &+ UInt64(buffer[i] &- .zero) } else { droppedWholeDigits += 1 }
            if whole > 0 { wholeDigits += 1 }
            hasDigits = true
            i += 1
        }
        if i < end, buffer[i] == .period {
            i += 1
            while i < end, buffer[i] &- .zero < 10 {
                if fractionDigits < Self.maximumDigits { fraction = fraction &* 10 &+ UInt64(buffer[i] &- .zero); fractionDigits += 1 }
                hasDigits = true
                i += 1
            }
        }
        if hasDigits, i < end, buffer[i] == .lowerE || buffer[i] == .upperE {
            var j = i + 1
            var exponentNegative = false
            if j < end, buffer[j] == .minus || buffer[j] == .plus { exponentNegative = buffer[j] == .minus; j += 1 }
            var digits = 0
            while j < end, buffer[j] &- .zero < 10 {
                exponent = min(exponent * 10 + Int(buffer[j] &- .zero), 100_000)   // saturates: 1e100000 is as infinite as 1e400
                digits += 1
                j += 1
            }
            if digits > 0 { i = j; if exponentNegative { exponent = -exponent } } else { hasDigits = false }
        }
        isEmpty = i == first
        while i < end, buffer[i] == .space || buffer[i] == .tab { i += 1 }
    }

    /// The value scanned: finite or infinite, never NaN.
    var value: Double {
        var value = Double(whole)
        if droppedWholeDigits > 0 { value *= Self.power(droppedWholeDigits) }
        if fraction != 0 { value += Double(fraction) / Self.powersOfTen[fractionDigits] }
        if value != 0 && exponent != 0 {
            value = exponent > 0 ? value * Self.power(exponent) : value / Self.power(-exponent)
        }
        return negative && value != 0 ? -value : value
    }

    private static func power(_ n: Int) -> Double {
        n < powersOfTen.count ? powersOfTen[n] : Foundation.pow(10, Double(n))
    }

    /// The whole number a field holds (e.g. a header's column number), or nil.
    static func wholeValue(of field: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var number = NumberParser()
        number.scan(field, &i)
        guard number.hasDigits, i == field.count else { return nil }
        let value = number.value
        return value == value.rounded(.down) ? value : nil
    }
}

private extension UInt8 {
    static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r"), comma = UInt8(ascii: ",")
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), period = UInt8(ascii: ".")
    static let minus = UInt8(ascii: "-"), plus = UInt8(ascii: "+"), zero = UInt8(ascii: "0")
    static let lowerE = UInt8(ascii: "e"), upperE = UInt8(ascii: "E")
}
