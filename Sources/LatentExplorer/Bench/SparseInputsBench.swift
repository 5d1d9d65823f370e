import Foundation
import LetterData
import Support
import VAE

/// `bench --only sparse`: a dense layer's training passes (forward, then backward) on one batch, by
/// sgemm and by the sparse-input path (`Dense.forward(_:into:skippingZeroInputsWith:pool:)`), at the
/// MLP's two large shapes and over a range of input densities, so that `Dense.sparseDensityLimit` can
/// be read off where the two cross. The two paths alternate, `repeats` times each, in the same minutes;
/// the figure is each path's fastest pass (the one the machine's other work disturbed least) and the
/// ratio of the two.
enum SparseInputsBench {
    /// Densities of the random inputs, and of the letters' own pixels (`letters`).
    static let densities = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    /// Alternations of the two paths per shape and density.
    static let repeats = 25
    /// The training batch.
    static let batch = TrainingConfiguration.defaultBatchSize

    /// The MLP's encoder input layer (784 pixels -> 512, ReLU, no input gradient) and its decoder
    /// output layer (512 ReLU units -> 784 logits, with the input gradient).
    static let layers: [(name: String, inputs: Int, outputs: Int, activation: Activation, inputGradient: Bool)] = [
        ("encoder_hidden", ImageSet.pixelCount, 512, .relu, false),
        ("decoder_output", 512, ImageSet.pixelCount, .identity, true),
    ]

    static func measure(letters: ImageSet, pool: ComputePool, into report: inout BenchReport) {
        var g = SeededGenerator(seed: 5)
        for shape in layers {
            let layer = Dense(name: shape.name, inputSize: shape.inputs, outputSize: shape.outputs, activation: shape.activation)
            layer.initialize(using: &g)
            var inputs = densities.map { density in ("d\(Int(density * 100))", randomInput(shape.inputs, density: density, &g)) }
            if shape.inputs == ImageSet.pixelCount { inputs.append(("letters", letterInput(letters))) }
            for (label, x) in inputs {
                let (dense, sparse) = StatusLine.run("Timing \(shape.name) dense and sparse at \(label)…") {
                    timePaths(layer, x, inputGradient: shape.inputGradient, pool: pool, &g)
                }
                let key = "sparse_\(shape.name)_\(label)_"
                report.add(key + "dense_ms", dense * 1e3)
                report.add(key + "sparse_ms", sparse * 1e3)
                report.add(key + "speedup", dense / sparse)
            }
        }
    }

    /// [batch, inputs], each entry nonzero (uniform in (0, 1]) with probability `density`.
    private static func randomInput(_ inputs: Int, density: Double, _ g: inout SeededGenerator) -> Matrix {
        let x = Matrix(rows: batch, columns: inputs)
        for i in 0 ..< x.count where Double(g.nextUniform()) < density { x.storage[i] = 1 - g.nextUniform() }
        return x
    }

    /// The first `batch` letters as [0, 1] pixels.
    private static func letterInput(_ letters: ImageSet) -> Matrix {
        let x = Matrix(rows: batch, columns: ImageSet.pixelCount)
        for i in 0 ..< x.count { x.storage[i] = Float(letters.pixels[i]) / 255 }
        return x
    }

    /// The fastest forward-and-backward pass of each path, in seconds, the two alternating.
    private static func timePaths(_ layer: Dense, _ x: Matrix, inputGradient: Bool, pool: ComputePool,
                                  _ g: inout SeededGenerator) -> (dense: Double, sparse: Double) {
        let scratch = SparseInputsScratch()
        let y = Matrix(rows: batch, columns: layer.outputSize), dy = Matrix(rows: batch, columns: layer.outputSize)
        let dx = inputGradient ? Matrix(rows: batch, columns: layer.inputSize) : nil
        let upstream = (0 ..< dy.count).map { _ in g.nextUniform() - 0.5 }
        var best = (dense: Double.infinity, sparse: Double.infinity)
        for _ in 0 ... repeats {
            for sparse in [false, true] {
                let seconds = Measurements.seconds {
                    if sparse {
                        layer.forward(x, into: y, skippingZeroInputsWith: scratch, pool: pool)
                    } else {
                        layer.forward(x, into: y, pool: pool)
                    }
                    dy.assign(upstream)
                    if sparse {
                        layer.backward(input: x, output: y, outputGradient: dy, inputGradient: dx, skippingZeroInputsWith: scratch,
                                       pool: pool)
                    } else {
                        layer.backward(input: x, output: y, outputGradient: dy, inputGradient: dx, pool: pool)
                    }
                }
                if sparse { best.sparse = min(best.sparse, seconds) } else { best.dense = min(best.dense, seconds) }
            }
        }
        return best
    }
}
