import Foundation

/// A model the end-to-end tests of the latent views run on. The views must work the same on every
/// one; adding the convolutional model is one more entry in `all`.
struct ModelUnderTest: CustomStringConvertible, Sendable {
    let description: String
    let latentDim: Int
    /// Writes the weights file the explorer is started with.
    let makeWeights: @Sendable () throws -> String

    static let mlp16 = ModelUnderTest(description: "MLP, 16-D latent", latentDim: 16) {
        try TestModels.weightsFile(latentDim: 16)
    }

    /// Every model the views are tested on. The convolutional model joins this list when the library
    /// has one (trained like `TestModels.mlp`).
    static let all: [ModelUnderTest] = [.mlp16]
}
