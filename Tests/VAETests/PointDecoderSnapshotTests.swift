import XCTest
@testable import VAE

/// `VAENetwork.makePointDecoder` promises a decoder reads the weights as they were when it was made:
/// the explorer decodes on other threads while training changes the model.
final class PointDecoderSnapshotTests: XCTestCase {
    private func decode(_ decoder: any PointDecoder, _ points: [Float], _ configuration: ModelConfiguration) -> [Float] {
        let count = points.count / configuration.latentDim
        var pixels = [Float](repeating: 0, count: count * configuration.inputSize)
        // A conditional decoder gets the classes in turn.
        let classes = (0 ..< count).map { Int32($0 % max(configuration.classCount, 1)) }
        points.withUnsafeBufferPointer { p in
            classes.withUnsafeBufferPointer { c in
                pixels.withUnsafeMutableBufferPointer {
                    decoder.decode(p.baseAddress!, classes: configuration.isConditional ? c.baseAddress! : nil, count: count,
                                   into: $0.baseAddress!)
                }
            }
        }
        return pixels
    }

    func testADecoderKeepsTheWeightsItWasMadeWith() {
        for architecture in Architectures.all {
            let configuration = ModelConfiguration(architecture, latentDim: 2)
            let model = VAEModel(configuration: configuration, seed: 5)
            let points: [Float] = [0, 0, 1.5, -0.5, -2, 1]
            let decoder = model.network.makePointDecoder()
            let before = decode(decoder, points, configuration)
            for parameter in model.parameters {
                for i in 0 ..< parameter.value.count { parameter.value.storage[i] = 0.5 - parameter.value.storage[i] }
            }
            // Booleans, not the arrays: a failure would print thousands of pixels.
            XCTAssertTrue(decode(decoder, points, configuration) == before, "\(architecture.name): the decoder read the new weights")
            XCTAssertFalse(decode(model.network.makePointDecoder(), points, configuration) == before,
                           "\(architecture.name): a new decoder sees the new weights")
        }
    }
}
