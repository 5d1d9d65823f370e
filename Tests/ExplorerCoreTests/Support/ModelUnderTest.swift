import Foundation
import VAE

/// A model the end-to-end tests of the latent views run on: the views must work the same on each.
struct ModelUnderTest: CustomStringConvertible, Sendable {
    let configuration: ModelConfiguration

    var description: String { "\(configuration.kind), \(configuration.latentDim)-D latent" }
    var latentDim: Int { configuration.latentDim }

    /// Trains the model once and writes the weights file the explorer is started with.
    func makeWeights() throws -> String { try TestModels.weightsFile(configuration) }

    static let mlp16 = ModelUnderTest(configuration: TestModels.mlpConfiguration(latentDim: 16))
    static let conv16 = ModelUnderTest(configuration: TestModels.convConfiguration(latentDim: 16))

    /// Every model the views are tested on; another architecture is one more entry.
    static let all: [ModelUnderTest] = [.mlp16, .conv16]
}
