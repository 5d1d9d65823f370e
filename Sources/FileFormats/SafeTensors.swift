import Foundation
import Support

/// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON, then the raw
/// tensor bytes. The JSON maps each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}`
/// (offsets relative to the data after the header) and may hold `"__metadata__": {String: String}`.
/// F32 tensors are written; F32, F16, BF16 and F64 are read, converted to F32 (`SafeTensorsDType`).
public enum SafeTensors {
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String]) -> [UInt8] {
        var header = "{"
        header += "\"__metadata__\":" + jsonObject(metadata)
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            let t = tensors[name]!
            let bytes = t.values.count * 4
            header += ",\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        header += "}"
        // Pad with spaces so the data starts 8-byte aligned, as the format recommends.
        while (header.utf8.count + 8) % 8 != 0 { header += " " }
        var out = [UInt8]()
        out.reserveCapacity(8 + header.utf8.count + offset)
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header.utf8)
        for name in names {
            tensors[name]!.values.withUnsafeBufferPointer { values in
                for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
            }
        }
        return out
    }

    /// The largest header accepted, as Python's safetensors (100 MB; ours are about 1 KB).
    public static let maximumHeaderLength = 100_000_000
    /// Bytes per tensor element in these files (F32).
    public static let bytesPerElement = 4   // F32

    /// What a safetensors header says: its metadata strings and, sorted by offset, every tensor's name,
    /// shape and byte range within the data section (which starts `dataStart` bytes into the file).
    public struct Layout: Sendable {
        public var metadata: [String: String]
        /// One tensor: its name, shape and dtype, and where its bytes lie in the data section.
        public typealias Entry = (name: String, shape: [Int], begin: Int, end: Int, dtype: SafeTensorsDType)
        public var entries: [Entry]
        public var dataStart: Int
        public var dataLength: Int

        public var shapes: [String: [Int]] {
            Dictionary(entries.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The header length a file's first 8 bytes give, checked against the file's size and the format's
    /// cap. A length that cannot be one (past the end, over the cap: e.g. the first 8 bytes of a text
    /// file) means the file is not a safetensors file at all.
    public static func headerLength(_ first: some Collection<UInt8>, fileSize: Int, path: String) throws -> Int {
        guard fileSize >= 8, first.count >= 8 else {
            throw WeightsError.notSafeTensors(path: path, reason: "it is \(fileSize) bytes, shorter than the 8-byte header length")
        }
        var headerLength: UInt64 = 0
        for (i, byte) in first.prefix(8).enumerated() { headerLength |= UInt64(byte) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(fileSize - 8), headerLength <= UInt64(maximumHeaderLength) else {
            // A file of a kind people mistake for weights says which kind, rather than a number: another
            // program's model (with the command that converts it), or a picture, data set or archive.
            // Only here, once the first 8 bytes cannot be a header length: a real header length can spell
            // a pickle's first bytes (0x80 0x02 is a 640-byte header).
            if let kind = ForeignModelFile.kind(first) {
                throw WeightsError.notSafeTensors(path: path, reason: "it is \(kind); convert it with: \(ForeignModelFile.convertCommand(path))")
            }
            if let kind = ForeignFileKind.recognise(first) {
                throw WeightsError.notSafeTensorsButKnown(path: path, kind: kind)
            }
            throw WeightsError.notSafeTensors(path: path, reason: headerLength <= UInt64(maximumHeaderLength)
                ? "its first 8 bytes give a header length of \(headerLength), past the end of its \(fileSize) bytes"
                : "its first 8 bytes give a header length of \(headerLength), over the format's limit of \(maximumHeaderLength)")
        }
        return Int(headerLength)
    }

    /// Parses and validates a safetensors header (the `header` bytes after the length field) for a data
    /// section of `dataLength` bytes, with the rules of Python's safetensors: the header is a strict JSON
    /// object; every tensor has a dtype, a shape of non-negative integers and two integer `data_offsets`;
    /// the element count (computed with overflow checks) times 4 equals its byte length; and the tensors
    /// tile the data section exactly, in offset order, with no gap or overlap. Nothing of the data
    /// section is needed: a caller reads it only once the header proves worth it.
    public static func parseHeader(_ header: [UInt8], dataLength: Int, path: String = "weights") throws -> Layout {
        var metadata: [String: String] = [:]
        var entries: [Layout.Entry] = []
        for (name, value) in try headerMembers(header, path: path) {
            if name == "__metadata__" {
                metadata = try readMetadata(value, path: path)
            } else {
                entries.append(try readEntry(name, value, dataLength: dataLength, path: path))
            }
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        try checkTiling(entries, dataLength: dataLength, path: path)
        return Layout(metadata: metadata, entries: entries, dataStart: 8 + header.count, dataLength: dataLength)
    }

    /// The members of the header's JSON object, in file order.
    private static func headerMembers(_ header: [UInt8], path: String) throws -> [(key: String, value: JSONValue)] {
        if let first = header.first(where: { $0 != 0x20 }), first != UInt8(ascii: "{") {
            throw WeightsError.notSafeTensors(path: path, reason: "its header does not start with a JSON object")
        }
        let parsed: JSONValue
        do {
            parsed = try header.withUnsafeBufferPointer { try StrictJSON.parse($0) }
        } catch let error as JSONSyntaxError {
            throw WeightsError.malformed(path: path, reason: "header is not valid JSON: \(error.reason) at byte \(8 + error.offset)")
        }
        guard case .object(let members) = parsed else {
            throw WeightsError.malformed(path: path, reason: "header is \(parsed.kind), not a JSON object")
        }
        return members
    }

    /// `__metadata__`: an object of strings.
    private static func readMetadata(_ value: JSONValue, path: String) throws -> [String: String] {
        func fail(_ reason: String) -> WeightsError { .malformed(path: path, reason: reason) }
        guard case .object(let map) = value else { throw fail("__metadata__ is \(value.kind), not an object") }
        var metadata: [String: String] = [:]
        for (key, entry) in map {
            guard case .string(let text) = entry else {
                throw fail("metadata \(TextSanitizer.quoted(key, limit: 60)) is \(entry.kind), not a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    /// One tensor's entry: a dtype, a shape of non-negative integers and two `data_offsets` inside the
    /// data section, whose distance is the shape's byte count (computed with overflow checks).
    private static func readEntry(_ name: String, _ value: JSONValue, dataLength: Int, path: String) throws -> Layout.Entry {
        let quotedName = TextSanitizer.quoted(name, limit: 60)
        func fail(_ reason: String) -> WeightsError { .malformed(path: path, reason: "tensor \(quotedName) \(reason)") }
        guard case .object(let fields) = value else { throw fail("is \(value.kind), not an object") }
        func field(_ key: String) throws -> JSONValue {
            guard let found = fields.first(where: { $0.key == key }) else { throw fail("lacks \(key)") }
            return found.value
        }
        guard case .string(let dtype) = try field("dtype") else { throw fail("has a dtype that is not a string") }
        guard let elementType = SafeTensorsDType(rawValue: dtype) else {
            throw fail("has \(SafeTensorsDType.refusal(dtype) ?? dtype)")
        }
        guard let shape = counts(try field("shape")) else {
            throw fail("has a shape that is not a list of non-negative 64-bit integers")
        }
        guard let offsets = counts(try field("data_offsets")), offsets.count == 2 else {
            throw fail("has data_offsets that are not two non-negative 64-bit integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin <= end, end <= dataLength else {
            throw fail("data_offsets [\(begin), \(end)] are outside the \(dataLength) data bytes")
        }
        guard let byteCount = self.byteCount(of: shape, elementSize: elementType.size) else {
            throw fail("has shape \(describe(shape)), too large for any file")
        }
        guard end - begin == byteCount else {
            throw fail("holds \(end - begin) bytes but shape \(describe(shape)) of \(dtype) needs \(byteCount)")
        }
        return (name, shape, begin, end, elementType)
    }

    /// The tensors, sorted by offset, must cover the data section exactly, one after another.
    private static func checkTiling(_ entries: [Layout.Entry], dataLength: Int, path: String) throws {
        func fail(_ reason: String) -> WeightsError { .malformed(path: path, reason: reason) }
        var covered = 0
        for entry in entries {
            guard entry.begin == covered else {
                let quotedName = TextSanitizer.quoted(entry.name, limit: 60)
                throw fail(entry.begin > covered
                    ? "tensor \(quotedName) starts at data byte \(entry.begin), leaving bytes \(covered)..<\(entry.begin) unused"
                    : "tensor \(quotedName) starts at data byte \(entry.begin), inside the tensor before it (which ends at \(covered))")
            }
            covered = entry.end
        }
        guard covered == dataLength else {
            throw fail("the tensors cover \(covered) of the \(dataLength) data bytes")
        }
    }

    /// The tensors of `layout`, read from `data`, the data section (`layout.dataLength` bytes).
    public static func tensors(_ layout: Layout, data: [UInt8]) -> [String: Tensor] {
        precondition(data.count == layout.dataLength, "the data section must be the header's")
        var tensors: [String: Tensor] = [:]
        for entry in layout.entries {
            let size = entry.dtype.size
            let elements = (entry.end - entry.begin) / size
            let values = [Float](unsafeUninitializedCapacity: elements) { buffer, initialized in
                data.withUnsafeBytes { raw in
                    for i in 0 ..< elements { buffer[i] = entry.dtype.value(raw, at: entry.begin + size * i) }
                }
                initialized = elements
            }
            tensors[entry.name] = Tensor(shape: entry.shape, values: values)
        }
        return tensors
    }

    /// Parses and validates a whole safetensors file held in memory (`headerLength`, `parseHeader`,
    /// then the tensors). Everything is checked before any tensor is allocated.
    public static func decode(_ bytes: [UInt8], path: String = "weights") throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let length = try headerLength(bytes.prefix(8), fileSize: bytes.count, path: path)
        let layout = try parseHeader(Array(bytes[8 ..< 8 + length]), dataLength: bytes.count - 8 - length, path: path)
        return (tensors(layout, data: Array(bytes[layout.dataStart...])), layout.metadata)
    }

    /// A JSON array of non-negative integers (a shape or offsets), or nil.
    private static func counts(_ value: JSONValue) -> [Int]? {
        guard case .array(let elements) = value else { return nil }
        var out: [Int] = []
        out.reserveCapacity(elements.count)
        for element in elements {
            guard case .integer(let n) = element, n >= 0 else { return nil }
            out.append(n)
        }
        return out
    }

    /// Bytes a tensor of `shape` occupies (F32 unless `elementSize` says otherwise), or nil when the
    /// product overflows.
    public static func byteCount(of shape: [Int], elementSize: Int = bytesPerElement) -> Int? {
        var product = elementSize
        for dimension in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            product = next
        }
        return product
    }

    /// A shape for a message: `[512, 784]`, cut short when a hostile file gives hundreds of dimensions.
    private static func describe(_ shape: [Int]) -> String {
        let shown = shape.prefix(8).map(String.init).joined(separator: ", ")
        return "[" + shown + (shape.count > 8 ? ", … (\(shape.count) dimensions)" : "") + "]"
    }

    private static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func jsonObject(_ map: [String: String]) -> String {
        "{" + map.keys.sorted().map { "\(jsonString($0)):\(jsonString(map[$0]!))" }.joined(separator: ",") + "}"
    }
}

/// Why a safetensors file could not be read or written, said in one line.
public enum WeightsError: Error, Equatable, CustomStringConvertible {
    case missingFile(String)
    case malformed(path: String, reason: String)
    /// The file's first bytes cannot start a safetensors file (a text file, an image, ...).
    case notSafeTensors(path: String, reason: String)
    /// The file's first bytes are those of another known kind of file (`ForeignFileKind`).
    case notSafeTensorsButKnown(path: String, kind: String)
    case incompatible(path: String, reason: String)
    /// A weight is NaN or infinite: nothing drawn or trained from it would mean anything.
    case nonFinite(path: String, tensor: String, count: Int)

    public var description: String {
        switch self {
        case .missingFile(let path): return "weights file not found: \(TextSanitizer.clean(path))"
        case .malformed(let path, let reason): return "\(TextSanitizer.clean(path)) is not a valid safetensors file: \(reason)"
        case .notSafeTensors(let path, let reason): return "\(TextSanitizer.clean(path)) is not a safetensors file: \(reason)"
        case .notSafeTensorsButKnown(let path, let kind): return "\(TextSanitizer.clean(path)) is \(kind), not a safetensors file"
        case .incompatible(let path, let reason): return "\(TextSanitizer.clean(path)) does not hold a LatentExplorer VAE: \(reason)"
        case .nonFinite(let path, let tensor, let count):
            return "\(TextSanitizer.clean(path)) holds \(count) NaN or infinite values in tensor \(TextSanitizer.quoted(tensor)); refusing a model that cannot draw or train"
        }
    }
}
