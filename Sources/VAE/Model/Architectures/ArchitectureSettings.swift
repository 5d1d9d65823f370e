import Foundation
import LetterData

/// An architecture's settings as one typed value, mlx-swift-examples' `Codable` configuration per
/// model: `MLPNetwork.Settings(hiddenSize: 512)`, read as `settings.hiddenSize` rather than by key and
/// index. Its coding keys are the settings' metadata keys in camel case (`hidden_size` ->
/// `hiddenSize`); a one-value setting codes as an `Int`, a two-value one as a `SizePair`.
///
/// The metadata's form (`ModelConfiguration.settings`, key -> values) stays what files and the command
/// line carry; `ModelConfiguration.typedSettings(_:)` and `init(_:settings:...)` convert between the two.
public protocol ArchitectureSettings: Codable, Sendable, Equatable {}

/// Two sizes written as `a,b` (the conv VAE's channel counts, the deep MLP's widths).
public struct SizePair: Codable, Sendable, Equatable {
    public var first: Int
    public var second: Int

    public init(_ first: Int, _ second: Int) { (self.first, self.second) = (first, second) }

    public init(from decoder: Decoder) throws {
        var values = try decoder.unkeyedContainer()
        (first, second) = (try values.decode(Int.self), try values.decode(Int.self))
    }

    public func encode(to encoder: Encoder) throws {
        var values = encoder.unkeyedContainer()
        try values.encode(first)
        try values.encode(second)
    }
}

extension ModelConfiguration {
    /// The settings as `type`, the architecture's `Settings`. The configuration's settings must have the
    /// counts their declarations give (a validated configuration, or one built from typed settings).
    public func typedSettings<Settings: ArchitectureSettings>(_ type: Settings.Type) -> Settings {
        let plain = Dictionary(uniqueKeysWithValues: architecture.settings.map { setting -> (String, Any) in
            let values = self[setting]
            return (setting.key, setting.count == 1 ? values.first ?? setting.defaultValues[0] : values)
        })
        do {
            let json = try JSONSerialization.data(withJSONObject: plain)
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(type, from: json)
        } catch {
            preconditionFailure("\(kind)'s settings \(settings) are not \(type): \(error)")
        }
    }

    /// A configuration of `architecture` with `settings` typed.
    public init<Settings: ArchitectureSettings>(_ architecture: any VAEArchitecture.Type, inputSize: Int = ImageSet.pixelCount, latentDim: Int = 2,
                                                settings: Settings, geometry: ImageGeometry? = nil) {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let json = try? encoder.encode(settings),
              let plain = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            preconditionFailure("\(Settings.self) does not encode to an object")
        }
        let values = plain.mapValues { ($0 as? [Int]) ?? [$0 as? Int ?? 0] }
        self.init(architecture, inputSize: inputSize, latentDim: latentDim, settings: values, geometry: geometry)
    }
}
