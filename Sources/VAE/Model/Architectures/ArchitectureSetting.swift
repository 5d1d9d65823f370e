import Support

/// One setting of an architecture, declared once in the architecture's file: the key it has in weight
/// files' metadata and in `--setting key=value`, its help text, its default, and the values allowed.
///
/// A setting holds `count` whole numbers (one for a width, two for the conv VAE's channel counts),
/// written in metadata and on the command line as a comma-separated list: `channels=32,64`.
public struct ArchitectureSetting: Sendable, Hashable {
    /// The metadata key and the name in `--setting`, e.g. "hidden_size".
    public let key: String
    /// One line for the command line's help, e.g. "width of the dense hidden layers".
    public let help: String
    /// The values a configuration takes when it does not set this one (and a weight file written
    /// before the setting existed is read with).
    public let defaultValues: [Int]
    /// The range every value must be in.
    public let range: ClosedRange<Int>

    /// The key of a single dense width: the one files written before settings were declared carry,
    /// and the one `--hidden-size` sets, so every architecture with such a width uses it.
    public static let hiddenSizeKey = "hidden_size"

    /// The key of a conditional architecture's class count C (`ModelConfiguration.classCount`): the
    /// width of the one-hot class its encoder and decoder read. Its presence makes a model conditional.
    public static let classCountKey = "class_count"

    /// The setting `key` of `architecture` with the default and range contract/limits.json declares.
    public init(key: String, help: String, of architecture: String) {
        let declared = Contract.shared.setting(architecture, key)
        self.init(key: key, help: help, defaultValues: declared.defaultValues, range: declared.range)
    }

    /// How many values the setting holds: as many as its default.
    public var count: Int { defaultValues.count }

    /// A setting of `defaultValues.count` values, each in `range`; the default must be in it.
    public init(key: String, help: String, defaultValues: [Int], range: ClosedRange<Int>) {
        precondition(!defaultValues.isEmpty && defaultValues.allSatisfy(range.contains), "a setting's default must be in its range")
        self.key = key
        self.help = help
        self.defaultValues = defaultValues
        self.range = range
    }

    /// The values as metadata and the command line write them: "32,64".
    public static func format(_ values: [Int]) -> String { values.map(String.init).joined(separator: ",") }

    /// Values from "32,64" (spaces around the numbers allowed); nil unless every item is a whole number.
    public static func parse(_ text: String) -> [Int]? {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !items.isEmpty, items.allSatisfy({ $0 != nil }) else { return nil }
        return items.map { $0! }
    }

    /// Throws `ModelError.invalidConfiguration` with a one-line reason unless `values` fit this setting.
    /// The reason names the setting as words ("hidden size 0 is outside 1...8192").
    public func check(_ values: [Int]) throws {
        let words = key.replacingOccurrences(of: "_", with: " ")
        guard values.count == count else {
            let given = values.isEmpty ? "none" : TextSanitizer.list(values.map(String.init), separator: ",")
            throw ModelError.invalidConfiguration("\(words) needs \(count) value\(count == 1 ? "" : "s"), not \(given)")
        }
        if let outside = values.first(where: { !range.contains($0) }) {
            throw ModelError.invalidConfiguration("\(words) \(outside) is outside \(range.lowerBound)...\(range.upperBound)")
        }
    }

    /// "hidden_size: width of the dense hidden layers (default 512, each 1...8192)", for help texts.
    public var helpLine: String {
        let each = count == 1 ? "" : "\(count) values, each "
        return "\(key): \(help) (default \(Self.format(defaultValues)), \(each)\(range.lowerBound)...\(range.upperBound))"
    }
}
