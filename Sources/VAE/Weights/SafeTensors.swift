import Foundation

/// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON, then the raw
/// tensor bytes. The JSON maps each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}`
/// (offsets relative to the data after the header) and may hold `"__metadata__": {String: String}`.
/// Only little-endian F32 tensors are written and read here.
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

    /// Parses and validates a safetensors file's bytes: the header fits, the JSON is well formed, every
    /// tensor is F32 with offsets inside the data and a byte length matching its shape.
    public static func decode(_ bytes: [UInt8], path: String = "weights") throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        func fail(_ reason: String) -> WeightsError { .malformed(path: path, reason: reason) }
        guard bytes.count >= 8 else { throw fail("file is shorter than the 8-byte header length") }
        var headerLength: UInt64 = 0
        for i in 0 ..< 8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail("header length \(headerLength) runs past the end of the file (\(bytes.count) bytes)")
        }
        let dataStart = 8 + Int(headerLength)
        let headerBytes = Data(bytes[8 ..< dataStart])
        guard let json = try? JSONSerialization.jsonObject(with: headerBytes), let header = json as? [String: Any] else {
            throw fail("header is not a JSON object")
        }
        let dataLength = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var tensors: [String: Tensor] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else { throw fail("__metadata__ is not an object") }
                for (k, v) in map {
                    guard let s = v as? String else { throw fail("metadata '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any],
                  let dtype = info["dtype"] as? String,
                  let shape = (info["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (info["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2 else {
                throw fail("tensor '\(name)' lacks dtype, shape or data_offsets")
            }
            guard dtype == "F32" else { throw fail("tensor '\(name)' has dtype \(dtype); only F32 is supported") }
            guard shape.allSatisfy({ $0 >= 0 }), shape.count <= 8 else { throw fail("tensor '\(name)' has an invalid shape") }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= dataLength else {
                throw fail("tensor '\(name)' data_offsets [\(begin), \(end)] are outside the \(dataLength) data bytes")
            }
            let elements = shape.reduce(1, *)
            guard end - begin == elements * 4 else {
                throw fail("tensor '\(name)' holds \(end - begin) bytes but shape \(shape) of F32 needs \(elements * 4)")
            }
            var values = [Float](repeating: 0, count: elements)
            bytes.withUnsafeBytes { raw in
                for i in 0 ..< elements {
                    let bits = raw.loadUnaligned(fromByteOffset: dataStart + begin + 4 * i, as: UInt32.self)
                    values[i] = Float(bitPattern: UInt32(littleEndian: bits))
                }
            }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        return (tensors, metadata)
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

public enum WeightsError: Error, Equatable, CustomStringConvertible {
    case missingFile(String)
    case malformed(path: String, reason: String)
    case incompatible(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .missingFile(let path): return "weights file not found: \(path)"
        case .malformed(let path, let reason): return "\(path) is not a valid safetensors file: \(reason)"
        case .incompatible(let path, let reason): return "\(path) does not hold a LatentExplorer VAE: \(reason)"
        case .writeFailed(let path, let reason): return "could not save \(path): \(reason)"
        }
    }
}
