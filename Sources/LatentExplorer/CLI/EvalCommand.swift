import ArgumentParser
import Foundation
import LetterData
import Support
import VAE

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score a model on a data set's test split.",
        discussion: """
            Prints the test negative ELBO per image in nats (one sample of z per image, fixed seed) with its \
            reconstruction and KL parts, and the accuracy of a 5-nearest-neighbour classifier on the latent \
            means (train codes as reference, test codes as queries). The negative ELBO is the true one \
            (β = 1) whatever β the model was trained with. With --importance-samples K > 1 it also prints \
            the importance-weighted bound log p(x) ≥ log mean_k p(x, z_k) / q(z_k|x) (Burda et al. 2015): \
            its negative estimates the negative log-likelihood from above, tighter than the negative ELBO.

            A conditional model (cvae) is scored with each test image's own class, so its negative ELBO bounds \
            -log p(x | class), not -log p(x). It also prints -log p(x) ≤ -log Σ_y p(y) exp(L_K(x | y)), with \
            each log p(x | y) from the importance-weighted bound (K = --importance-samples, at least \
            \(ConditionalScores.minimumImportanceSamples)) and p(y) uniform over the model's classes, which \
            compares with a plain VAE's NLL estimate; and the accuracy of the generative classifier, \
            argmax_y of that bound on log p(x | y).
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: ArgumentHelp("The weights to score.", valueName: "file")) var weights: String
    @Option(help: "Neighbours that vote in the classifier.") var k = NearestNeighbours.defaultK
    @Option(help: ArgumentHelp("Samples of z per image for the importance-weighted bound (1: the ELBO).", valueName: "K"))
    var importanceSamples = 1
    @Flag(help: "Print one JSON object (neg_elbo, reconstruction, kl, importance_samples, nll_bound, knn_accuracy, test_count, kl_weight_trained; for a cvae also neg_elbo_bounds, marginal_nll_bound, class_prior, class_importance_samples, generative_class_accuracy).")
    var json = false

    func validate() throws {
        try OptionRanges.check(k, in: OptionRanges.neighbours, "--k")
        try OptionRanges.check(importanceSamples, in: OptionRanges.importanceSamples, "--importance-samples")
    }

    func run() throws {
        let (model, metadata) = try LoadedWeights.load(weights)
        let dataset = try dataOptions.load()
        try CLIError.wrap { try model.configuration.checkFits(ImageSet.geometry) }
        let scoring = "Scoring \(dataset.test.count) test images (ELBO and \(k)-NN)…"
        let result = try StatusLine.run(scoring) { status in
            try CLIError.wrap {
                try Evaluation.run(model: model, dataset: dataset, k: k, importanceSamples: importanceSamples) { done, of in
                    status.update("Scoring: the likelihood bound (K = \(importanceSamples)) of \(of) test images…", done: done, of: of)
                }
            }
        }
        if json {
            print(try Self.json(result, trainedWith: metadata.objective, dataset: dataset))
        } else {
            printReport(result, model: model, trainedWith: metadata.objective, dataset: dataset)
        }
    }

    /// The scores as one JSON object (the keys `--json`'s help lists).
    private static func json(_ result: Evaluation, trainedWith objective: VAEObjective, dataset: LabelledDataset) throws -> String {
        let number = ScoreText.json
        var object: [String: Any] = [
            "neg_elbo": number(result.loss.total), "reconstruction": number(result.loss.reconstruction),
            "kl": number(result.loss.kl), "importance_samples": result.importanceSamples,
            "nll_bound": number(-result.logLikelihoodBound),
            "knn_accuracy": number(result.knnAccuracy), "test_count": result.testCount,
            "kl_weight_trained": objective.klWeight,
        ]
        if let note = dataset.note { object["data_note"] = note }
        if let scores = result.conditional {
            object["neg_elbo_bounds"] = "-log p(x|y)"
            object["marginal_nll_bound"] = number(-scores.marginalLogLikelihoodBound)
            object["class_prior"] = scores.prior
            object["class_importance_samples"] = scores.importanceSamples
            object["generative_class_accuracy"] = number(scores.classifierAccuracy)
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The scores as lines for a person, each bound with what it bounds.
    private func printReport(_ result: Evaluation, model: VAEModel, trainedWith objective: VAEObjective, dataset: LabelledDataset) {
        print("data set:        \(TextSanitizer.clean(dataset.name)) (\(dataset.train.count) train, \(result.testCount) test images)")
        print("model:           \(model.configuration)")
        if let note = dataset.note { print("note:            \(TextSanitizer.clean(note))") }
        let shown = ScoreText.formatted
        print("neg ELBO:        \(shown(result.loss.total, "%.2f")) nats per image (reconstruction \(shown(result.loss.reconstruction, "%.2f")) + KL \(shown(result.loss.kl, "%.2f")); β = 1, trained with β = \(VAEObjective.format(objective.klWeight)))")
        let given = result.conditional == nil ? "" : " | class"
        if result.conditional != nil {
            print("                 a bound on -log p(x | class): each test image is scored with its own class")
        }
        if result.importanceSamples > 1 {
            print("NLL estimate:    \(shown(-result.logLikelihoodBound, "%.2f")) nats per image (importance-weighted bound, K = \(result.importanceSamples): -log p(x\(given)) ≤ this)")
        }
        if let scores = result.conditional {
            print("-log p(x) ≤      \(shown(-scores.marginalLogLikelihoodBound, "%.2f")) nats per image (-log Σ_y p(y) p(x | y), p(y) \(scores.prior), each p(x | y) from the importance-weighted bound, K = \(scores.importanceSamples)): compare with a plain VAE's")
        }
        print("\(k)-NN accuracy:  \(shown(result.knnAccuracy, "%.4f")) on latent means\(result.conditional == nil ? "" : " (style codes, each encoded with its class)")")
        if let scores = result.conditional {
            print("generative classifier accuracy: \(shown(scores.classifierAccuracy, "%.4f")) (argmax over classes y of the bound on log p(x | y))")
        }
    }
}
