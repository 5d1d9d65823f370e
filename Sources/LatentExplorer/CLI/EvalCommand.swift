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

    func validate() throws {
        try OptionRanges.check(k, in: OptionRanges.neighbours, "--k")
    }

    func run() throws {
        let model = try CLIError.wrap { try WeightsFile.load(weights).model }
        let dataset = try dataOptions.load()
        try CLIError.wrap { try model.configuration.checkFits(ImageSet.geometry) }
        let result = Evaluation.run(model: model, dataset: dataset, k: k)
        if json {
            // JSON has no NaN or infinity: a non-finite score is written in words, as a string.
            func number(_ value: Double) -> Any { value.isFinite ? value : Self.words(value) }
            let object: [String: Any] = [
                "neg_elbo": number(result.loss.total), "reconstruction": number(result.loss.reconstruction),
                "kl": number(result.loss.kl), "knn_accuracy": number(result.knnAccuracy), "test_count": result.testCount,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("data set:        \(TextSanitizer.clean(dataset.name)) (\(dataset.train.count) train, \(result.testCount) test images)")
            print("model:           \(model.configuration)")
            func shown(_ value: Double, _ format: String) -> String { value.isFinite ? String(format: format, value) : Self.words(value) }
            print("neg ELBO:        \(shown(result.loss.total, "%.2f")) nats per image (reconstruction \(shown(result.loss.reconstruction, "%.2f")) + KL \(shown(result.loss.kl, "%.2f")))")
            print("\(k)-NN accuracy:  \(shown(result.knnAccuracy, "%.4f")) on latent means")
        }
    }

    /// A score that is not a number, in words: "not a number (NaN)", "infinite", "minus infinity".
    static func words(_ value: Double) -> String {
        value.isNaN ? "not a number (NaN)" : (value > 0 ? "infinite" : "minus infinity")
    }
}
