import Foundation
import XCTest
@testable import FileFormats
@testable import LetterData
@testable import Support
@testable import VAE

/// The Swift training step is PyTorch's: files written by `latent-explorer-torch fixture` (python/
/// `latent_explorer_torch/fixtures.py`, PyTorch 2.13) hold, for each architecture, small weights, a
/// batch and its reparameterisation noise, PyTorch's loss, its gradient of every parameter and the
/// parameters after one Adam step (lr 1e-3), and the loss of the same batch after that step. The same
/// weights, batch and noise must give the same numbers here within float32 rounding.
///
/// `torch-split.json` checks the other half of training the same way on both sides: the Python code
/// holds out the same validation images as `stratifiedSplit` and draws the same noise as `SeededGenerator`.
final class PyTorchEquivalenceTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// Losses are sums of ~100 float32 terms computed in another order: relative agreement to 1e-5.
    private static let lossTolerance = 1e-5
    /// Gradients and parameters: absolute agreement within this share of the tensor's largest magnitude.
    private static let tensorTolerance: Float = 1e-4

    private func fixture(_ name: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let url = Self.fixtures.appendingPathComponent(name)
        return try SafeTensors.decode([UInt8](try Data(contentsOf: url)), path: url.path)
    }

    private func number(_ metadata: [String: String], _ key: String) throws -> Double {
        try XCTUnwrap(metadata[key].flatMap(Double.init), "fixture has no number \(key)")
    }

    private func assertClose(_ ours: [Float], _ theirs: Tensor, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(ours.count, theirs.values.count, what, file: file, line: line)
        let scale = max(theirs.values.map(abs).max() ?? 0, 1e-3)
        let worst = zip(ours, theirs.values).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, Self.tensorTolerance * scale, "\(what): largest difference \(worst), largest value \(scale)",
                                 file: file, line: line)
    }

    private func assertLoss(_ ours: LossParts, _ metadata: [String: String], prefix: String) throws {
        for (part, value) in [("reconstruction", ours.reconstruction), ("kl", ours.kl)] {
            let theirs = try number(metadata, "\(prefix)_\(part)")
            XCTAssertEqual(value, theirs, accuracy: Self.lossTolerance * max(abs(theirs), 1), "\(prefix) \(part)")
        }
    }

    private func checkTrainingStep(_ architecture: String) throws {
        let (tensors, metadata) = try fixture("torch-step-\(architecture).safetensors")
        func prefixed(_ prefix: String) -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: tensors.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) })
        }
        let weights = prefixed("weights.")
        // The fixture's own metadata names its architecture: a LeakyReLU MLP's tensors are the MLP's.
        let configuration = try ModelMetadata.configuration(from: metadata)
        XCTAssertEqual(configuration.kind, architecture)
        let model = VAEModel(configuration: configuration)
        try model.load(weights)

        let x = try XCTUnwrap(tensors["batch.x"]), noise = try XCTUnwrap(tensors["batch.noise"])
        let batch = x.shape[0]
        let step = TrainingStep(model: model, batchCapacity: batch, pool: .default)
        step.input.rows = batch
        step.input.assign(x.values)
        step.noise.rows = batch
        step.noise.assign(noise.values)
        if configuration.isConditional {   // the batch's classes, stored as float32 indices
            step.setClasses(try XCTUnwrap(tensors["batch.classes"]).values.map { Int32($0) })
        }
        var unused = SeededGenerator(seed: 0)
        try assertLoss(step.forward(sampleNoise: false, using: &unused, computeGradients: true), metadata, prefix: "loss")
        step.backward()
        let gradients = prefixed("grad.")
        XCTAssertEqual(Set(gradients.keys), Set(model.parameters.map(\.name)))
        for parameter in model.parameters {
            assertClose(parameter.gradient.values, try XCTUnwrap(gradients[parameter.name]), "gradient of \(parameter.name)")
        }

        let learningRate = Float(try number(metadata, "learning_rate"))
        Adam(parameters: model.parameters, learningRate: learningRate, pool: .default).update()
        let after = prefixed("after.")
        for parameter in model.parameters {
            assertClose(parameter.value.values, try XCTUnwrap(after[parameter.name]), "\(parameter.name) after one Adam step")
        }
        try assertLoss(step.forward(sampleNoise: false, using: &unused), metadata, prefix: "after")
    }

    /// Every registered architecture has a training-step fixture (`fixtures.write_registered` writes one
    /// for each twin in `ARCHITECTURES`), and its loss, every gradient (the CVAE's one-hot columns
    /// included: a class absent from the batch has a zero gradient there on both sides) and the
    /// parameters after one Adam step are PyTorch's.
    func testEveryRegisteredArchitecturesTrainingStepGivesPyTorchsLossGradientsAndAdamStep() throws {
        for (name, _) in PyTorchFixtures.everyArchitecture(prefix: "step-") { try checkTrainingStep(name) }
    }

    private struct SplitCase: Decodable {
        var labels: [Int]
        var fraction: Double
        var seed: UInt64
        var held_out: [Int]
        var gaussian_seed: UInt64
        var gaussians: [Float]
    }

    private func splitCase() throws -> SplitCase {
        try JSONDecoder().decode(SplitCase.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("torch-split.json")))
    }

    /// Each image's first pixel holds its index, so the held-out images name themselves.
    func testTheStratifiedSplitHoldsOutTheImagesPythonHoldsOut() throws {
        let split = try splitCase()
        XCTAssertLessThanOrEqual(split.labels.count, 256, "indices must fit in a pixel byte")
        var pixels = [UInt8](repeating: 0, count: split.labels.count * ImageSet.pixelCount)
        for index in split.labels.indices { pixels[index * ImageSet.pixelCount] = UInt8(index) }
        let images = ImageSet(pixels: pixels, labels: split.labels)
        let (kept, heldOut) = images.stratifiedSplit(heldOutFraction: split.fraction, seed: split.seed)
        let heldOutIndices = (0 ..< heldOut.count).map { Int(heldOut.image($0).first!) }
        XCTAssertEqual(heldOutIndices, split.held_out)
        XCTAssertEqual(kept.count + heldOut.count, split.labels.count)
    }

    func testTheNoiseGeneratorDrawsWhatPythonDraws() throws {
        let split = try splitCase()
        var generator = SeededGenerator(seed: split.gaussian_seed)
        let ours = split.gaussians.indices.map { _ in generator.nextGaussian() }
        for (mine, theirs) in zip(ours, split.gaussians) { XCTAssertEqual(mine, theirs, accuracy: 1e-6) }
    }
}
