import Foundation
import XCTest
@testable import Support
@testable import VAE

/// The convolution layers' training forward (im2col + sgemm) and BLAS-free inference forward against
/// `NaiveConvolution`, on the conv VAE's own shapes and on odd ones (stride 1 and 3, padding 0 and 2,
/// even kernels, output padding 0 to 2), with and without ReLU.
final class ConvolutionReferenceTests: XCTestCase {
    private static let batch = 3
    /// Workspaces and matrices get room for more images than the batch, as at the end of an epoch.
    private static let spareRows = 2

    /// (inputChannels, outputChannels, inputSide, kernelSize, stride, padding)
    private static let convolutionCases: [(Int, Int, Int, Int, Int, Int)] = [
        (1, 32, 28, 3, 2, 1),   // the conv VAE's first encoder layer, 28 -> 14
        (32, 64, 14, 3, 2, 1),  // its second, 14 -> 7
        (3, 5, 7, 3, 1, 0),
        (2, 3, 6, 4, 3, 2),
        (2, 4, 9, 5, 2, 2),
    ]

    /// (inputChannels, outputChannels, inputSide, kernelSize, stride, padding, outputPadding)
    private static let transposedCases: [(Int, Int, Int, Int, Int, Int, Int)] = [
        (64, 32, 7, 3, 2, 1, 1),  // the decoder's first, 7 -> 14 (inference: rows = x^T W)
        (32, 1, 14, 3, 2, 1, 1),  // its last, 14 -> 28 (inference: columns = W^T x)
        (3, 4, 5, 3, 1, 1, 0),
        (2, 3, 4, 4, 3, 1, 2),
        (2, 2, 3, 2, 2, 0, 1),    // 8 taps < 9 positions: the columns orientation on a small shape
        (4, 2, 5, 5, 2, 3, 0),
    ]

    private func assertMatches(_ actual: [Float], _ expected: [Double], _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        var worst = 0.0
        for (a, e) in zip(actual, expected) { worst = max(worst, abs(Double(a) - e) / max(1, abs(e))) }
        XCTAssertLessThanOrEqual(worst, 1e-5, "\(what): largest error \(worst)", file: file, line: line)
    }

    private func randomValues(_ count: Int, _ generator: inout SeededGenerator) -> [Float] {
        (0 ..< count).map { _ in generator.nextUniform() * 2 - 1 }
    }

    private func inputMatrix(_ values: [Float], columns: Int) -> Matrix {
        let x = Matrix(rows: Self.batch + Self.spareRows, columns: columns)
        x.rows = Self.batch
        x.assign(values)
        return x
    }

    func testConv2DForwardMatchesTheDefinition() {
        for (index, (c, f, s, k, stride, padding)) in Self.convolutionCases.enumerated() {
            for activation in Activation.allCases {
                let what = "conv2d \(c)->\(f) side \(s) k\(k) s\(stride) p\(padding) \(activation)"
                var g = SeededGenerator(seed: UInt64(100 + index))
                let layer = Conv2D(name: "c", inputChannels: c, outputChannels: f, inputSide: s, kernelSize: k,
                                   stride: stride, padding: padding, activation: activation)
                layer.initialize(using: &g)
                let values = randomValues(Self.batch * layer.inputSize, &g)
                let expected = NaiveConvolution.conv2d(layer, values, batch: Self.batch)

                let x = inputMatrix(values, columns: layer.inputSize)
                let y = Matrix(rows: Self.batch + Self.spareRows, columns: layer.outputSize)
                layer.forward(x, into: y, workspace: layer.makeWorkspace(threads: ComputePool.default.threadCount), pool: .default)
                XCTAssertEqual(y.rows, Self.batch)
                assertMatches(y.values, expected, "\(what), training path")

                var scratch = [Float](repeating: .nan, count: layer.inferenceScratchCount)
                var output = [Float](repeating: .nan, count: Self.batch * layer.outputSize)
                layer.inferenceForward(values, count: Self.batch, into: &output, scratch: &scratch)
                assertMatches(output, expected, "\(what), inference path")
            }
        }
    }

    func testConvTranspose2DForwardMatchesTheDefinition() {
        for (index, (c, f, s, k, stride, padding, outputPadding)) in Self.transposedCases.enumerated() {
            for activation in Activation.allCases {
                let what = "conv-transpose2d \(c)->\(f) side \(s) k\(k) s\(stride) p\(padding) op\(outputPadding) \(activation)"
                var g = SeededGenerator(seed: UInt64(200 + index))
                let layer = ConvTranspose2D(name: "t", inputChannels: c, outputChannels: f, inputSide: s, kernelSize: k,
                                            stride: stride, padding: padding, outputPadding: outputPadding,
                                            activation: activation)
                layer.initialize(using: &g)
                let values = randomValues(Self.batch * layer.inputSize, &g)
                let expected = NaiveConvolution.convTranspose2d(layer, values, batch: Self.batch)

                let x = inputMatrix(values, columns: layer.inputSize)
                let y = Matrix(rows: Self.batch + Self.spareRows, columns: layer.outputSize)
                y.fill(.nan)   // every output must be written, bias-only border pixels too
                layer.forward(x, into: y, workspace: layer.makeWorkspace(threads: ComputePool.default.threadCount), pool: .default)
                assertMatches(y.values, expected, "\(what), training path")

                var scratch = [Float](repeating: .nan, count: layer.inferenceScratchCount)
                var output = [Float](repeating: .nan, count: Self.batch * layer.outputSize)
                layer.inferenceForward(values, count: Self.batch, into: &output, scratch: &scratch)
                assertMatches(output, expected, "\(what), inference path")
            }
        }
    }

    /// 35 images: two 16-image chunks and three left over, on the inference path, against the training
    /// forward (checked against the definition above) for the conv VAE's four layers and two odd ones.
    func testInferenceOfManyImagesMatchesTheTrainingForward() {
        let images = 35
        var g = SeededGenerator(seed: 600)
        let convolutions = Self.convolutionCases.prefix(2).map { c, f, s, k, stride, padding in
            Conv2D(name: "c", inputChannels: c, outputChannels: f, inputSide: s, kernelSize: k, stride: stride,
                   padding: padding, activation: .relu)
        } + [Conv2D(name: "c", inputChannels: 2, outputChannels: 3, inputSide: 6, kernelSize: 4, stride: 3, padding: 2, activation: .identity)]
        let transposed = Self.transposedCases.prefix(2).map { c, f, s, k, stride, padding, outputPadding in
            ConvTranspose2D(name: "t", inputChannels: c, outputChannels: f, inputSide: s, kernelSize: k, stride: stride,
                            padding: padding, outputPadding: outputPadding, activation: .relu)
        } + [ConvTranspose2D(name: "t", inputChannels: 2, outputChannels: 2, inputSide: 3, kernelSize: 2, stride: 2, padding: 0,
                             outputPadding: 1, activation: .identity)]
        typealias Layer = (name: String, inputSize: Int, outputSize: Int, scratch: Int,
                           training: (Matrix, Matrix) -> Void,
                           inference: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void)
        var layers: [Layer] = []
        for layer in convolutions {
            layer.initialize(using: &g)
            let workspace = layer.makeWorkspace(threads: ComputePool.default.threadCount)
            layers.append(("conv2d \(layer.inputChannels)->\(layer.outputChannels)", layer.inputSize, layer.outputSize,
                           layer.inferenceScratchCount, { layer.forward($0, into: $1, workspace: workspace, pool: .default) },
                           { layer.inferenceForward($0, count: images, into: $1, scratch: $2) }))
        }
        for layer in transposed {
            layer.initialize(using: &g)
            let workspace = layer.makeWorkspace(threads: ComputePool.default.threadCount)
            layers.append(("conv-transpose2d \(layer.inputChannels)->\(layer.outputChannels)", layer.inputSize, layer.outputSize,
                           layer.inferenceScratchCount, { layer.forward($0, into: $1, workspace: workspace, pool: .default) },
                           { layer.inferenceForward($0, count: images, into: $1, scratch: $2) }))
        }
        for layer in layers {
            let x = Matrix(rows: images, columns: layer.inputSize, values: randomValues(images * layer.inputSize, &g))
            let y = Matrix(rows: images, columns: layer.outputSize)
            layer.training(x, y)
            var scratch = [Float](repeating: .nan, count: layer.scratch)
            var output = [Float](repeating: .nan, count: images * layer.outputSize)
            layer.inference(x.storage, &output, &scratch)
            assertMatches(output, y.values.map(Double.init), "\(layer.name), \(images) images")
        }
    }

    func testOutputSidesFollowPyTorch() {
        let encoder1 = Conv2D(name: "c1", inputChannels: 1, outputChannels: 32, inputSide: 28, kernelSize: 3,
                              stride: 2, padding: 1, activation: .relu)
        let encoder2 = Conv2D(name: "c2", inputChannels: 32, outputChannels: 64, inputSide: 14, kernelSize: 3,
                              stride: 2, padding: 1, activation: .relu)
        let decoder1 = ConvTranspose2D(name: "t1", inputChannels: 64, outputChannels: 32, inputSide: 7, kernelSize: 3,
                                       stride: 2, padding: 1, outputPadding: 1, activation: .relu)
        let decoder2 = ConvTranspose2D(name: "t2", inputChannels: 32, outputChannels: 1, inputSide: 14, kernelSize: 3,
                                       stride: 2, padding: 1, outputPadding: 1, activation: .identity)
        XCTAssertEqual([encoder1.outputSide, encoder2.outputSide, decoder1.outputSide, decoder2.outputSide], [14, 7, 14, 28])
        XCTAssertEqual(encoder2.outputSize, 3136)
        XCTAssertEqual(decoder2.outputSize, 784)
        XCTAssertEqual(encoder1.weight.shape, [32, 1, 3, 3])
        XCTAssertEqual(decoder1.weight.shape, [64, 32, 3, 3])
        XCTAssertEqual(decoder1.bias.shape, [32])
        XCTAssertEqual(decoder1.parameters.map(\.name), ["t1.weight", "t1.bias"])
        // Rounded down, as PyTorch does: (8 + 2 - 3) / 2 + 1 = 4.
        XCTAssertEqual(Conv2D(name: "c", inputChannels: 1, outputChannels: 1, inputSide: 8, kernelSize: 3,
                              stride: 2, padding: 1, activation: .identity).outputSide, 4)
    }

    /// PyTorch's default initialisation bounds: 1/sqrt(C k k) for Conv2d, 1/sqrt(F k k) for
    /// ConvTranspose2d (fan_in from weight dimension 1), for weights and biases alike.
    func testInitialisationUsesPyTorchBounds() {
        var g = SeededGenerator(seed: 5)
        let conv = Conv2D(name: "c", inputChannels: 32, outputChannels: 64, inputSide: 14, kernelSize: 3,
                          stride: 2, padding: 1, activation: .relu)
        let transposed = ConvTranspose2D(name: "t", inputChannels: 64, outputChannels: 2, inputSide: 7, kernelSize: 3,
                                         stride: 2, padding: 1, outputPadding: 1, activation: .relu)
        conv.initialize(using: &g)
        transposed.initialize(using: &g)
        for (layerParameters, bound) in [(conv.parameters, 1 / Float(32 * 9).squareRoot()),
                                         (transposed.parameters, 1 / Float(2 * 9).squareRoot())] {
            for p in layerParameters {
                let values = p.value.values
                XCTAssertLessThanOrEqual(values.map(abs).max()!, bound, p.name)
                // Uniform over the whole interval, not a narrower one (enough draws to come near its ends).
                if p.value.count > 100 { XCTAssertGreaterThan(values.map(abs).max()!, bound * 0.95, p.name) }
            }
        }
    }

    /// Two threads run the BLAS-free path (the transposed convolutions' `inferenceForward`, inside the
    /// conv model's point decoder, a `Sendable` snapshot) at once, each with its own scratch.
    func testInferenceOnTwoThreadsAtOnceGivesTheSameResult() {
        var g = SeededGenerator(seed: 31)
        let model = VAEModel(configuration: ModelConfiguration.conv(), seed: 31)
        let decoder = model.network.makePointDecoder()
        let (points, l, n) = (6, model.latentDim, model.configuration.inputSize)
        let values = randomValues(points * l, &g)
        var expected = [Float](repeating: 0, count: points * n)
        decoder.decode(values, count: points, into: &expected)
        let results = Parallel.mapChunks(count: 2, chunks: 2) { _ -> [Float] in
            var output = [Float](repeating: 0, count: points * n)
            for _ in 0 ..< 20 { decoder.decode(values, count: points, into: &output) }
            return output
        }
        XCTAssertEqual(results.count, 2)
        for result in results { XCTAssertEqual(result, expected) }
    }
}
