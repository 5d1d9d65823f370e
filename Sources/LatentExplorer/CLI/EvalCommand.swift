import ArgumentParser
import Foundation
import VAE

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a model on a data set's test split.",
        discussion: """
            Prints the test negative ELBO per image in nats (one sample of z per image, fixed seed) with its \
            reconstruction and KL parts, and the accuracy of a 5-nearest-neighbour classifier on the latent \
            means (train codes as reference, test codes as queries).
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("The weights to score.", valueName: "file")) var weights: String
    @Option(help: "Neighbours that vote in the classifier.") var k = NearestNeighbours.defaultK
    @Flag(help: "Print one JSON object (neg_elbo, reconstruction, kl, knn_accuracy, test_count).") var json = false

    func run() throws {
        let model = try CLIError.wrap { try WeightsFile.load(weights).model }
        let dataset = try dataOptions.load()
        guard model.configuration.inputSize == ImageSet.pixelCount else {
            throw CLIError("\(weights) expects \(model.configuration.inputSize) inputs, the data has \(ImageSet.pixelCount) pixels")
        }
        let result = StatusLine.run("Scoring \(dataset.test.count) test images (ELBO and \(k)-NN)…") {
            Evaluation.run(model: model, dataset: dataset, k: k)
        }
        if json {
            let object: [String: Any] = [
                "neg_elbo": result.loss.total, "reconstruction": result.loss.reconstruction, "kl": result.loss.kl,
                "knn_accuracy": result.knnAccuracy, "test_count": result.testCount,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("data set:        \(dataset.name) (\(dataset.train.count) train, \(result.testCount) test images)")
            print("model:           \(model.configuration)")
            print(String(format: "neg ELBO:        %.2f nats per image (reconstruction %.2f + KL %.2f)",
                         result.loss.total, result.loss.reconstruction, result.loss.kl))
            print(String(format: "%d-NN accuracy:  %.4f on latent means", k, result.knnAccuracy))
        }
    }
}
