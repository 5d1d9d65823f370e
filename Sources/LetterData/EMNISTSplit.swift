/// The six EMNIST data sets NIST ships side by side (Cohen et al. 2017), named as in their files:
/// `emnist-<name>-{train,test}-{images-idx3,labels-idx1}-ubyte[.gz]`, `emnist-<name>-{train,test}.csv`
/// and `emnist-<name>-mapping.txt`. All store their images transposed.
public enum EMNISTSplit: String, CaseIterable, Sendable {
    /// 26 classes, upper and lower case merged, labelled 1...26.
    case letters
    /// The ten digits, 0...9 (280,000 images).
    case digits
    /// 47 classes, the same number of images in each: digits, capitals, and the 11 small letters whose
    /// capitals look different (a b d e f g h n q r t).
    case balanced
    /// 62 classes: digits, capitals and small letters, as unbalanced as the handwriting was.
    case byclass
    /// 47 classes: byclass with the 15 letters whose cases look alike merged.
    case bymerge
    /// EMNIST's own copy of MNIST's size and classes (70,000 digits).
    case mnist

    /// The order in which a folder is searched when no split is named: letters first, this program's subject.
    public static let searchOrder: [EMNISTSplit] = allCases

    var filePrefix: String { "emnist-\(rawValue)-" }

    /// Class names when the folder has no mapping file, from NIST's published mappings.
    var defaultClassNames: [Int: String] {
        let digits = (0 ... 9).map { String($0) }
        let capitals = (65 ... 90).map { String(UnicodeScalar(UInt8($0))) }
        let distinctSmall = ["a", "b", "d", "e", "f", "g", "h", "n", "q", "r", "t"]
        let small = (97 ... 122).map { String(UnicodeScalar(UInt8($0))) }
        func numbered(_ names: [String], from first: Int = 0) -> [Int: String] {
            Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.offset + first, $0.element) })
        }
        switch self {
        case .letters: return LabelledDataset.letterClassNames
        case .digits, .mnist: return numbered(digits)
        case .balanced, .bymerge: return numbered(digits + capitals + distinctSmall)
        case .byclass: return numbered(digits + capitals + small)
        }
    }
}
