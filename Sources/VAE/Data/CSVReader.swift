/// The EMNIST CSV export (`emnist-letters-train.csv`): one image a line, `label,p0,...,p783`, no
/// header, pixels in EMNIST's column-major order (transposed on load, as with the IDX files).
///
/// A byte-level parser: no String per line or field, one pass, so the 88,800-line file (about
/// 190 MB) parses in well under a second in a release build.
enum CSVReader {
    static func read(_ path: String, transposed: Bool = true) throws -> ImageSet {
        let bytes = try FileBytes.read(path)
        guard !bytes.isEmpty else { throw DataError.empty(path) }
        let fields = ImageSet.pixelCount + 1
        var labels: [Int] = []
        var pixels: [UInt8] = []
        labels.reserveCapacity(bytes.count / 1_600)
        pixels.reserveCapacity(bytes.count / 2)
        var row = [Int](repeating: 0, count: fields)
        try bytes.withUnsafeBufferPointer { buffer in
            let end = buffer.count
            var i = 0
            var line = 1
            while i < end {
                // Blank lines are skipped (a lone \r belongs to a \r\n ending).
                if buffer[i] == 10 { line += 1; i += 1; continue }
                if buffer[i] == 13 { i += 1; continue }
                var field = 0
                while true {
                    var value = 0
                    var digits = 0
                    while i < end, buffer[i] &- 48 < 10 {
                        value = value * 10 + Int(buffer[i] &- 48)
                        digits += 1
                        i += 1
                        if digits > 6 { throw DataError.badCSVRow(path: path, line: line, reason: "field \(field + 1) is not a number in 0...255") }
                    }
                    let terminator: UInt8 = i < end ? buffer[i] : 10
                    guard digits > 0, terminator == 44 || terminator == 10 || terminator == 13 else {
                        throw DataError.badCSVRow(path: path, line: line, reason: "field \(field + 1) is not a number")
                    }
                    if field < fields { row[field] = value }
                    field += 1
                    i += 1
                    if terminator != 44 {
                        if terminator == 13, i < end, buffer[i] == 10 { i += 1 }
                        break
                    }
                }
                guard field == fields else {
                    throw DataError.badCSVRow(path: path, line: line, reason: "expected \(fields) fields (label and 784 pixels), found \(field)")
                }
                for column in 1 ..< fields where row[column] > 255 {
                    throw DataError.badCSVRow(path: path, line: line, reason: "pixel \(column) is \(row[column]), outside 0...255")
                }
                labels.append(row[0])
                line += 1
                let side = ImageSet.side
                if transposed {
                    for r in 0 ..< side { for c in 0 ..< side { pixels.append(UInt8(row[1 + c * side + r])) } }
                } else {
                    for p in 1 ..< fields { pixels.append(UInt8(row[p])) }
                }
            }
        }
        guard !labels.isEmpty else { throw DataError.empty(path) }
        return ImageSet(pixels: pixels, labels: labels)
    }
}
