import XCTest
@testable import LetterData
@testable import Support
@testable import VAE

/// The explorer's BLAS-free decoders against the training path and the formula, and encoding.
final class InferenceTests: XCTestCase {
    /// sigmoid(W2 ReLU(W1 z + b1) + b2) computed in Double from the tensors by name.
    private func mlpFormula(_ model: VAEModel, _ z: [Float]) -> [Double] {
        let c = model.configuration
        let t = model.tensors()
        let (w1, b1) = (t["decoder.hidden.weight"]!.values, t["decoder.hidden.bias"]!.values)
        let (w2, b2) = (t["decoder.output.weight"]!.values, t["decoder.output.bias"]!.values)
        let hidden = (0 ..< MLPNetwork.settings(of: c).hiddenSize).map { j in
            max(0, Double(b1[j]) + (0 ..< c.latentDim).reduce(0.0) { $0 + Double(w1[j * c.latentDim + $1]) * Double(z[$1]) })
        }
        return (0 ..< c.inputSize).map { i in
            var logit = Double(b2[i])
            for j in 0 ..< MLPNetwork.settings(of: c).hiddenSize { logit += Double(w2[i * MLPNetwork.settings(of: c).hiddenSize + j]) * hidden[j] }
            return 1 / (1 + exp(-logit))
        }
    }

    func testMLPDecodersMatchTheFormula() {
        // 70 columns and 9 points exercise the kernels' leftover columns and points too.
        let model = VAEModel(configuration: ModelConfiguration.mlp(inputSize: 70, hiddenSize: 33, latentDim: 2), seed: 8)
        let inference = Inference(model: model)
        var g = SeededGenerator(seed: 1)
        let points = (0 ..< 9).map { _ in [g.nextGaussian() * 3, g.nextGaussian() * 3] }
        let batch = inference.decodeBatch(points.flatMap { $0 })
        for (index, point) in points.enumerated() {
            let expected = mlpFormula(model, point)
            let single = inference.decode(point)
            for i in 0 ..< 70 {
                XCTAssertEqual(Double(single[i]), expected[i], accuracy: 1e-5)
                XCTAssertEqual(Double(batch[index * 70 + i]), expected[i], accuracy: 1e-5)
            }
        }
    }

    /// Any architecture: the point decoder (one point, a small batch, a batch split over two threads)
    /// gives the probabilities of the training path, sigmoid of the batch pass's logits.
    static func assertPointDecoderMatchesTheTrainingPath(_ configuration: ModelConfiguration, seed: UInt64,
                                                         file: StaticString = #filePath, line: UInt = #line) {
        let model = VAEModel(configuration: configuration, seed: seed)
        let inference = Inference(model: model)
        let (n, l) = (configuration.inputSize, configuration.latentDim)
        let count = BatchDecoder.parallelThreshold + 3
        var g = SeededGenerator(seed: seed + 1)
        let points = (0 ..< count * l).map { _ in g.nextGaussian() * 2 }

        // A conditional model's points take the classes in turn, as one-hot rows for the batch pass.
        let c = configuration.classCount
        let classes: [Int32]? = c > 0 ? (0 ..< count).map { Int32($0 % c) } : nil
        let oneHot = classes.map { classes in
            Matrix(rows: count, columns: c, values: (0 ..< count * c).map { $0 % c == Int(classes[$0 / c]) ? 1 : 0 })
        }

        let pass = model.network.makeBatchPass(batchCapacity: count, pool: .default)
        let z = Matrix(rows: count, columns: l, values: points)
        let logits = Matrix(rows: count, columns: n)
        pass.decode(z, classes: oneHot, logits: logits)
        let expected = logits.values.map { 1 / (1 + exp(-Double($0))) }

        let parallel = inference.decodeBatch(points, classes: classes)
        let serial = inference.decodeBatch(Array(points[0 ..< 3 * l]), classes: classes.map { Array($0[0 ..< 3]) })
        for p in 0 ..< count {
            let single = inference.decode(Array(points[p * l ..< (p + 1) * l]), class: classes?[p])
            for i in 0 ..< n {
                let want = expected[p * n + i]
                XCTAssertEqual(Double(single[i]), want, accuracy: 1e-5, "point \(p) pixel \(i)", file: file, line: line)
                XCTAssertEqual(Double(parallel[p * n + i]), want, accuracy: 1e-5, "parallel point \(p)", file: file, line: line)
                if p < 3 { XCTAssertEqual(Double(serial[p * n + i]), want, accuracy: 1e-5, "batch point \(p)", file: file, line: line) }
            }
        }
    }

    func testMLPPointDecoderMatchesTheTrainingPath() {
        Self.assertPointDecoderMatchesTheTrainingPath(ModelConfiguration.mlp(hiddenSize: 40, latentDim: 16), seed: 2)
        Self.assertPointDecoderMatchesTheTrainingPath(ModelConfiguration.mlp(hiddenSize: 40, latentDim: 1), seed: 3)
    }

    /// Every registered architecture's point decoder, at a small size and at its defaults (the shipped
    /// widths, where the decoder's chunks and its sparse steps are exercised at full size).
    func testEveryArchitecturesPointDecoderMatchesTheTrainingPath() {
        for (index, architecture) in Architectures.all.enumerated() {
            Self.assertPointDecoderMatchesTheTrainingPath(ArchitectureGradientTests.small(architecture), seed: UInt64(20 + index))
            Self.assertPointDecoderMatchesTheTrainingPath(ModelConfiguration(architecture, latentDim: 3), seed: UInt64(40 + index))
        }
    }

    func testEncodeMeansMatchesTheTrainingForwardPass() {
        let model = VAEModel(configuration: ModelConfiguration.mlp(hiddenSize: 16, latentDim: 3), seed: 4)
        let images = ImageSet(pixels: (0 ..< 3 * 784).map { UInt8(($0 * 7) % 256) }, labels: [1, 2, 3])
        let codes = Inference(model: model).encodeMeans(images, batchSize: 2)
        let step = TrainingStep(model: model, batchCapacity: 3, pool: .default)
        step.loadBatch(images, indices: [0, 1, 2])
        var g = SeededGenerator(seed: 0)
        step.forward(using: &g)
        XCTAssertEqual(codes, step.mean.values)
    }
}
