import XCTest
@testable import FileFormats
@testable import Support
@testable import VAE

/// An MLP whose decoder's hidden layer declares a buffer, as a BatchNorm would its running statistics:
/// not registered (no shipped architecture has buffers yet), built through its configuration's type.
private final class BufferedMLP: SequentialNetwork, VAEArchitecture {
    static let name = "buffered-mlp"
    static let summary = "an mlp with a buffer, for BufferTests"
    static let settings = MLPNetwork.settings
    static let bench = BenchEntry(keyPrefix: "buffered_", images: 1)
    typealias Settings = MLPNetwork.Settings

    init(configuration: ModelConfiguration) {
        super.init(configuration: configuration, table: Self.layerTable(for: configuration))
    }

    static func layerTable(for c: ModelConfiguration) -> LayerTable {
        let (n, h, l) = (c.inputSize, settings(of: c).hiddenSize, c.latentDim)
        let statistics = LayerSpec("decoder.hidden", .dense(inputSize: l, outputSize: h), activation: .relu,
                                   buffers: [.init("running_mean", shape: [h]), .init("running_var", shape: [h])])
        return LayerTable([.dense("encoder.hidden", n, h, .relu)] + LayerTable.gaussianHeads(hiddenSize: h, latentDim: l)
                          + [statistics, .dense("decoder.output", h, n, .identity)])
    }

    static func describe(_ c: ModelConfiguration) -> String { name }
    static func inferConfiguration(from shapes: [String: [Int]]) -> ModelConfiguration? { nil }
}

/// Buffers (non-trainable tensors) have their place: declared in the layer table, held by the network,
/// in a weight file's tensors and read back from them, checked like parameters, and never trained.
final class BufferTests: XCTestCase {
    private let configuration = ModelConfiguration(BufferedMLP.self, inputSize: 12, latentDim: 2,
                                                   settings: MLPNetwork.Settings(hiddenSize: 4))

    func testBuffersAreInTheWeightFilesTensorsAndNotAmongTheParameters() throws {
        let model = VAEModel(configuration: configuration, seed: 1)
        XCTAssertEqual(model.buffers.map(\.name), ["decoder.hidden.running_mean", "decoder.hidden.running_var"])
        XCTAssertFalse(model.parameters.contains { $0.name.contains("running") })
        XCTAssertEqual(VAEModel.tensorShapes(for: configuration).suffix(2).map(\.shape), [[4], [4]])
        XCTAssertEqual(Set(model.tensors().keys), Set(VAEModel.tensorShapes(for: configuration).map(\.name)))

        // Through safetensors bytes and back into another model.
        model.buffers[0].value.assign([1, 2, 3, 4])
        let bytes = SafeTensors.encode(model.tensors(), metadata: [:])
        let other = VAEModel(configuration: configuration, seed: 2)
        try other.load(try SafeTensors.decode(bytes).tensors)
        XCTAssertEqual(other.buffers[0].value.values, [1, 2, 3, 4])
        XCTAssertEqual(model.copy().buffers[0].value.values, [1, 2, 3, 4])

        var missing = model.tensors()
        missing["decoder.hidden.running_var"] = nil
        XCTAssertThrowsError(try other.load(missing)) { XCTAssertEqual($0 as? ModelError, .missingTensor("decoder.hidden.running_var")) }
        var wrong = model.tensors()
        wrong["decoder.hidden.running_mean"] = Tensor(shape: [5], values: [Float](repeating: 0, count: 5))
        XCTAssertThrowsError(try other.load(wrong)) {
            XCTAssertEqual($0 as? ModelError, .shapeMismatch("decoder.hidden.running_mean", expected: [4], found: [5]))
        }
    }

    func testTrainingStepsLeaveTheBuffersAlone() {
        let model = VAEModel(configuration: configuration, seed: 3)
        model.buffers[1].value.assign([5, 6, 7, 8])
        let step = TrainingStep(model: model, batchCapacity: 2, pool: .default)
        var g = SeededGenerator(seed: 4)
        step.input.rows = 2
        step.input.assign((0 ..< 24).map { _ in g.nextUniform() })
        let before = model.parameters.map(\.value.values)
        _ = step.forward(using: &g, computeGradients: true)
        step.backward()
        Adam(parameters: model.parameters, learningRate: 1e-2, pool: .default).update()
        XCTAssertNotEqual(model.parameters.map(\.value.values), before, "the step trained the parameters")
        XCTAssertEqual(model.buffers[1].value.values, [5, 6, 7, 8])
    }
}
