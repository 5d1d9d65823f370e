import Support

/// The architectures this program knows: the one list to extend with a new architecture. Weight files,
/// the command line and `bench` look architectures up here by name.
public enum Architectures {
    /// Every architecture, the default (`mlp`) first.
    public static let all: [any VAEArchitecture.Type] = [
        MLPNetwork.self,
        ConvNetwork.self,
        DeepMLPNetwork.self,
        CVAENetwork.self,
    ]

    /// The architecture called `name` on the command line and in weight files, or nil.
    public static func named(_ name: String) -> (any VAEArchitecture.Type)? {
        all.first { $0.name == name }
    }

    /// The known names, for error messages: "mlp, conv".
    public static var names: String { all.map { $0.name }.joined(separator: ", ") }

    /// The architecture called `name`, or a one-line `ModelError.invalidConfiguration` naming the known ones.
    public static func find(_ name: String) throws -> any VAEArchitecture.Type {
        guard let found = named(name) else {
            throw ModelError.invalidConfiguration("unknown architecture \(TextSanitizer.quoted(name)) (this program knows \(names))")
        }
        return found
    }
}
