import Support

/// What the generic passes of `SequentialNetwork` need of a layer: llm.c's forward/backward pair over a
/// mini-batch, and the BLAS-free forward of the point decoder. `Dense`, `Conv2D` and `ConvTranspose2D`
/// conform; a layer table row (`LayerSpec.makeLayer`) builds one.
///
/// Shapes: x `[B, inputSize]`, y `[B, outputSize]`, one row an image (NCHW for the convolutions).
protocol NetworkLayer: AnyObject {
    var inputSize: Int { get }
    var outputSize: Int { get }
    var activation: Activation { get }
    /// The layer's weight and bias, in that order.
    var parameters: [Parameter] { get }
    /// PyTorch's default initialisation, drawing from `generator` in `parameters` order.
    func initialize(using generator: inout SeededGenerator)

    /// Floats of training workspace each thread needs (0 when the layer needs none).
    var scratchPerThread: Int { get }
    /// y = activation(layer(x)), spread over `pool`.
    func forward(_ x: Matrix, into y: Matrix, workspace: LayerWorkspace, pool: ComputePool)
    /// Sets the parameter gradients from dL/dy (turned in place into dL/d(pre-activation)) and writes
    /// dL/dx into `inputGradient` (skipped when nil; added to it with `accumulateInputGradient`).
    func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                  accumulateInputGradient: Bool, workspace: LayerWorkspace, pool: ComputePool)

    /// Floats of scratch `inferenceForward` needs.
    var inferenceScratchCount: Int { get }
    /// The forward pass without BLAS, on the calling thread, reading the weights only.
    func inferenceForward(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>,
                          scratch: UnsafeMutablePointer<Float>)
}

extension Conv2D: NetworkLayer {}
extension ConvTranspose2D: NetworkLayer {}

/// A dense layer needs no workspace: its products are sgemm calls.
extension Dense: NetworkLayer {
    var scratchPerThread: Int { 0 }
    var inferenceScratchCount: Int { 0 }

    func forward(_ x: Matrix, into y: Matrix, workspace: LayerWorkspace, pool: ComputePool) {
        forward(x, into: y, pool: pool)
    }

    func backward(input x: Matrix, output y: Matrix, outputGradient dy: Matrix, inputGradient dx: Matrix?,
                  accumulateInputGradient: Bool, workspace: LayerWorkspace, pool: ComputePool) {
        backward(input: x, output: y, outputGradient: dy, inputGradient: dx, accumulateInputGradient: accumulateInputGradient,
                 pool: pool)
    }

    func inferenceForward(_ x: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>,
                          scratch: UnsafeMutablePointer<Float>) {
        inferenceForward(x, count: count, into: y)
    }
}

extension LayerSpec {
    /// The layer this row declares, with zero parameters.
    func makeLayer() -> any NetworkLayer {
        switch operation {
        case let .dense(input, output):
            return Dense(name: name, inputSize: input, outputSize: output, activation: activation)
        case let .convolution(c, f, s, k, stride, p):
            return Conv2D(name: name, inputChannels: c, outputChannels: f, inputSide: s, kernelSize: k, stride: stride,
                          padding: p, activation: activation)
        case let .transposedConvolution(c, f, s, k, stride, p, op):
            return ConvTranspose2D(name: name, inputChannels: c, outputChannels: f, inputSide: s, kernelSize: k, stride: stride,
                                   padding: p, outputPadding: op, activation: activation)
        }
    }
}
