import Support

/// The element types a safetensors tensor may declare that this program reads, each converted to F32
/// when loaded: PyTorch writes F16 after `model.half()`, BF16 from bfloat16 checkpoints and F64 from
/// `model.double()`. F16 and BF16 widen exactly; F64 rounds to the nearest F32 (a value beyond F32's
/// range becomes infinite, and the weights file refuses non-finite weights). Integer dtypes are refused:
/// a VAE's weights are never whole numbers, so such a file is not a model.
public enum SafeTensorsDType: String, Sendable, CaseIterable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"
    case f64 = "F64"

    /// The integer and boolean dtypes of the format, named in their one-line refusal.
    public static let integerNames: Set<String> = ["BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64"]

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f16, .bf16: return 2
        case .f32: return 4
        case .f64: return 8
        }
    }

    /// The widest element, for caps on a file's size.
    public static let largestSize = 8

    /// Why a tensor's `name`d dtype cannot be read (nil: it can).
    static func refusal(_ name: String) -> String? {
        if Self(rawValue: name) != nil { return nil }
        let known = allCases.map(\.rawValue).joined(separator: ", ")
        if integerNames.contains(name) { return "dtype \(name), an integer type: weights must be floating point (\(known))" }
        return "dtype \(TextSanitizer.quoted(name, limit: 24)), which this program does not read (\(known))"
    }

    /// Element `index` of a little-endian buffer of this dtype, as an F32.
    func value(_ raw: UnsafeRawBufferPointer, at byteOffset: Int) -> Float {
        switch self {
        case .f32:
            return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: byteOffset, as: UInt32.self)))
        case .f16:
            return Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: byteOffset, as: UInt16.self))))
        case .bf16:
            // bfloat16 is the high half of an F32: widening appends 16 zero bits.
            return Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: byteOffset, as: UInt16.self))) << 16)
        case .f64:
            return Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: byteOffset, as: UInt64.self))))
        }
    }
}
