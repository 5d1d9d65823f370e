import XCTest
@testable import VAE

/// The explorer's fast decoders (sparse single point, blocked batch) against the plain formula
/// sigmoid(W2 ReLU(W1 z + b1) + b2) computed in Double.
final class InferenceTests: XCTestCase {
    private func reference(_ model: VAEModel, _ z: [Float]) -> [Double] {
        let a = model.architecture
        let w1 = model.decoderHidden.weight.value, b1 = model.decoderHidden.bias.value
        let w2 = model.decoderOutput.weight.value, b2 = model.decoderOutput.bias.value
        let hidden = (0 ..< a.hiddenSize).map { j in
            max(0, Double(b1[0, j]) + (0 ..< a.latentDim).reduce(0.0) { $0 + Double(w1[j, $1]) * Double(z[$1]) })
        }
        return (0 ..< a.inputSize).map { i in
            let logit = Double(b2[0, i]) + (0 ..< a.hiddenSize).reduce(0.0) { $0 + Double(w2[i, $1]) * hidden[$1] }
            return 1 / (1 + exp(-logit))
        }
    }

    func testSinglePointAndBatchDecodersMatchTheFormula() {
        // 70 columns and 9 points exercise the kernels' leftover columns and points too.
        let model = VAEModel(architecture: VAEArchitecture(inputSize: 70, hiddenSize: 33, latentDim: 2), seed: 8)
        let inference = Inference(model: model)
        var g = SeededGenerator(seed: 1)
        let points = (0 ..< 9).map { _ in [g.nextGaussian() * 3, g.nextGaussian() * 3] }
        let batch = inference.decodeBatch(points.flatMap { $0 })
        for (index, point) in points.enumerated() {
            let expected = reference(model, point)
            let single = inference.decode(point)
            for i in 0 ..< 70 {
                XCTAssertEqual(Double(single[i]), expected[i], accuracy: 1e-5)
                XCTAssertEqual(Double(batch[index * 70 + i]), expected[i], accuracy: 1e-5)
            }
        }
    }

    func testLargeBatchesSplitOverCoresGiveTheSameResult() {
        let model = VAEModel(seed: 2)
        let inference = Inference(model: model)
        var points: [Float] = []
        for p in 0 ..< 130 {
            points.append(Float(p) / 20 - 3)
            points.append(3 - Float(p % 13) / 2)
        }
        let batch = inference.decodeBatch(points)
        for p in [0, 63, 64, 129] {
            XCTAssertEqual(Array(batch[p * 784 ..< (p + 1) * 784]), inference.decode([points[2 * p], points[2 * p + 1]]))
        }
    }

    func testEncodeMeansMatchesTheTrainingForwardPass() {
        let model = VAEModel(architecture: VAEArchitecture(hiddenSize: 16, latentDim: 3), seed: 4)
        let images = ImageSet(pixels: (0 ..< 3 * 784).map { UInt8(($0 * 7) % 256) }, labels: [1, 2, 3])
        let codes = Inference(model: model).encodeMeans(images, batchSize: 2)
        let step = TrainingStep(model: model, batchCapacity: 3)
        step.loadBatch(images, indices: [0, 1, 2])
        var g = SeededGenerator(seed: 0)
        step.forward(using: &g)
        XCTAssertEqual(codes, step.mean.values)
    }
}
