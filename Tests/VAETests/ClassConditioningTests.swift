import Foundation
import TestSupport
import XCTest
@testable import FileFormats
@testable import LetterData
@testable import Support
@testable import VAE

/// A conditional model's classes: named in its weight file in one-hot order, matched to a data set's
/// labels by name, carried through training and scoring, and scored under every class for the
/// generative classifier and the marginal log-likelihood.
final class ClassConditioningTests: XCTestCase {
    private let small = ModelConfiguration.cvae(hiddenSize: 16, latentDim: 2, classCount: 3)

    private func images(_ labels: [Int], seed: UInt64) -> ImageSet {
        var g = SeededGenerator(seed: seed)
        return ImageSet(pixels: (0 ..< labels.count * ImageSet.pixelCount).map { _ in UInt8(g.next() % 256) }, labels: labels)
    }

    func testTheClassNamesRoundTripAndAFileWithoutThemGetsDefaults() throws {
        let model = VAEModel(configuration: small, seed: 2, classNames: ["x", "y", "z"])
        let path = temporaryPath("cvae.safetensors")
        // The model's names win over whatever the metadata was given: they name its one-hot inputs.
        try WeightsFile.save(model, metadata: ModelMetadata(configuration: small, classes: ["a", "b"]), to: path)
        let loaded = try WeightsFile.load(path)
        XCTAssertEqual(loaded.model.configuration, small)
        XCTAssertEqual(loaded.model.classNames, ["x", "y", "z"])
        XCTAssertEqual(loaded.metadata.classes, ["x", "y", "z"])
        XCTAssertEqual(loaded.model.tensors(), model.tensors())

        // Saved from PyTorch without metadata: the shapes say cvae (not an MLP of 787 inputs) and C = 3.
        let bare = temporaryPath("torch-cvae.safetensors")
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: [:]), to: bare)
        let inferred = try WeightsFile.load(bare).model
        XCTAssertEqual(inferred.configuration, small)
        XCTAssertEqual(inferred.classNames, ["0", "1", "2"])
        XCTAssertEqual(ModelConfiguration.cvae(classCount: 26).classCount, 26)
        XCTAssertEqual(VAEModel(configuration: .cvae()).classNames.joined(), "abcdefghijklmnopqrstuvwxyz")
    }

    func testAFileNamingTheWrongNumberOfClassesIsRefusedInOneLine() throws {
        let model = VAEModel(configuration: small, seed: 2)
        var strings = ModelMetadata(configuration: small, classes: ["a", "b"]).strings
        strings["classes"] = "[\"a\",\"b\"]"
        let path = temporaryPath("wrong.safetensors")
        try AtomicFile.write(SafeTensors.encode(model.tensors(), metadata: strings), to: path)
        XCTAssertThrowsError(try WeightsFile.load(path)) { error in
            XCTAssertTrue("\(error)".contains("names 2 classes for its 3 one-hot inputs"), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
        // An unconditional architecture with a class count contradicts itself.
        var mlp = ModelMetadata(configuration: .mlp(hiddenSize: 16)).strings
        mlp[ArchitectureSetting.classCountKey] = "3"
        let other = temporaryPath("mlp.safetensors")
        try AtomicFile.write(SafeTensors.encode(VAEModel(configuration: .mlp(hiddenSize: 16)).tensors(), metadata: mlp), to: other)
        XCTAssertThrowsError(try WeightsFile.load(other))
    }

    func testLabelsMapByNameAndAClassTheModelLacksIsRefused() throws {
        let model = VAEModel(configuration: small, classNames: ["c", "a", "b"])
        let data = LabelledDataset(name: "letters", train: images([1, 2, 3, 1], seed: 1), test: images([3], seed: 2),
                                   classNames: LabelledDataset.letterClassNames)
        let map = try ClassMap(model: model, dataset: data)
        XCTAssertEqual(map.indices(of: data.train), [1, 2, 0, 1])
        XCTAssertEqual(map.label(ofClass: 0), 3)
        // Restricted to "ab", the labels keep the model's indices.
        XCTAssertEqual(try ClassMap(model: model, dataset: data.restricted(toClassNames: ["b"])).indices(of: data.test), [0])
        XCTAssertNil(try ClassMap(model: VAEModel(configuration: .mlp(hiddenSize: 4)), dataset: data).indices(of: data.train))

        let withD = LabelledDataset(name: "letters", train: images([1, 4], seed: 3), test: images([1], seed: 4),
                                    classNames: LabelledDataset.letterClassNames)
        XCTAssertThrowsError(try ClassMap(model: model, dataset: withD)) { error in
            XCTAssertEqual(error as? ModelError, .unknownClass("d", modelClasses: ["c", "a", "b"]))
            XCTAssertEqual("\(error)", "the data's class 'd' is not one of the conditional model's classes (c a b)")
        }
        XCTAssertThrowsError(try Evaluation.run(model: model, dataset: withD))
    }

    /// With one class the per-class bound is the importance-weighted bound itself, draw for draw.
    func testClassLikelihoodsOfOneClassAreTheImportanceWeightedBound() {
        let one = VAEModel(configuration: .cvae(hiddenSize: 16, latentDim: 2, classCount: 1), seed: 4)
        let set = images([1, 1, 1, 1, 1], seed: 5)
        let inference = Inference(model: one)
        let perClass = inference.classLogLikelihoods(set, samples: 3, seed: 7, batchSize: 8)
        let mean = inference.importanceWeightedBound(set, classes: [0, 0, 0, 0, 0], samples: 3, seed: 7, batchSize: 8)
        XCTAssertEqual(perClass.count, 5)
        XCTAssertEqual(perClass.reduce(0, +) / 5, mean, accuracy: 1e-9)
    }

    /// `encode`'s reader asks a conditional model for its own most likely class first, then encodes,
    /// scores and reconstructs the image as that class (it stopped at the encoder's precondition).
    func testTheLetterReaderReadsWithTheModelsOwnMostLikelyClass() {
        let model = VAEModel(configuration: small, seed: 6)
        let inference = Inference(model: model)
        let test = images([1, 2, 3, 1], seed: 8)
        let reader = LetterReader(inference: inference, testImages: test, testClasses: [0, 1, 2, 0])
        let letter = images([1], seed: 9)
        let reading = reader.read(letter.pixels)
        let bounds = inference.classLogLikelihoods(letter, samples: LetterReader.classifierSamples)
        let expected = Int32(bounds.indices.max { bounds[$0] < bounds[$1] }!)
        XCTAssertEqual(reading.modelClass, expected)
        XCTAssertEqual(reading.mean, reader.steadyCode(letter.pixels, class: expected).mean)
        XCTAssertEqual(reading.reconstruction, inference.decode(reading.mean, class: expected))
        XCTAssertNil(LetterReader(inference: Inference(model: VAEModel(configuration: .mlp(hiddenSize: 8), seed: 1)),
                                  testImages: test).read(letter.pixels).modelClass)
    }

    /// The marginal is log Σ_y p(y) exp(bound_y) and the classifier its argmax, worked by hand.
    func testTheMarginalAndTheClassifierFollowTheirFormulas() {
        let bounds: [Double] = [-100, -102, -300,     // image 0: class 0 most likely
                                -250, -240, -240.5]   // image 1: class 1
        let summary = ClassLikelihoodSummary(bounds: bounds, logPrior: ClassLikelihoodSummary.uniformLogPrior(classCount: 3))
        XCTAssertEqual(summary.predictedClasses, [0, 1])
        let image0 = -100 + log(1 + exp(-2) + exp(-200)) - log(3.0)
        let image1 = -240 + log(exp(-10) + 1 + exp(-0.5)) - log(3.0)
        XCTAssertEqual(summary.marginalLogLikelihoodBound, (image0 + image1) / 2, accuracy: 1e-9)
        XCTAssertEqual(summary.accuracy(expected: [0, 2]), 0.5)
        // A prior that favours class 2 enough moves image 1's choice.
        let skewed = ClassLikelihoodSummary(bounds: bounds, logPrior: [log(0.01), log(0.01), log(0.98)])
        XCTAssertEqual(skewed.predictedClasses, [0, 2])
    }

    /// The trainer feeds each image's class through every batch, validation pass and code snapshot:
    /// a conditional model trains on letters, its codes arrive, and it scores under its classes.
    func testAConditionalModelTrainsAndScores() throws {
        let letters = SyntheticLetters.makeImageSet(count: 120, seed: 3)
        let data = LabelledDataset(name: "synthetic", train: letters.subset(Array(0 ..< 96)), test: letters.subset(Array(96 ..< 120)),
                                   classNames: LabelledDataset.letterClassNames)
        let model = VAEModel(configuration: .cvae(hiddenSize: 32, latentDim: 2), seed: 1)
        let config = TrainingConfiguration(epochs: 2, batchSize: 16, learningRate: 1e-3, patience: 5, validationFraction: 0.2,
                                           seed: 0, snapshotInterval: 0, progressInterval: 1_000)
        let trainer = Trainer(model: model, dataset: data, configuration: config, codeImages: data.test)
        let outcome = trainer.run()
        XCTAssertEqual(outcome.reason, .completed)
        var codes: [Float]?
        while let event = trainer.channel.next() { if case .snapshot(let snapshot) = event, let c = snapshot.codes { codes = c } }
        XCTAssertEqual(codes?.count, data.test.count * 2)
        let result = try Evaluation.run(model: model, dataset: data, importanceSamples: 2)
        let scores = try XCTUnwrap(result.conditional)
        XCTAssertTrue(result.loss.total.isFinite && scores.marginalLogLikelihoodBound.isFinite)
        // log p(x) ≥ log p(y) + log p(x | y): the marginal is at least the own-class bound less log C.
        XCTAssertGreaterThan(scores.marginalLogLikelihoodBound, -result.loss.total - log(26.0) - 20)
        XCTAssertTrue((0 ... 1).contains(scores.classifierAccuracy))
        XCTAssertEqual(scores.predictedLabels.count, data.test.count)
        XCTAssertTrue(scores.predictedLabels.allSatisfy(LabelledDataset.letterLabels.contains))
    }
}
