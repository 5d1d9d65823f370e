import CKernels
import Dispatch
import Glibc
import VAE

// Per-layer timings of the conv VAE (the layers of `Conv` in ../shared/bench/vae_torch.py), for
// deciding where the time goes before the architecture is assembled:
//
//   - training: forward and backward of every layer on a 128-image batch (sgemm, OpenBLAS threads),
//     and one whole step assembled from them (loss, reparameterisation and Adam included);
//   - inference without BLAS: the decoder for one latent point, and for a 15 x 15 grid split over
//     two threads.
//
// Each figure is the median of `repeats` medians of `runs` timings, with the range of those medians.
// Run with `swift run -c release LayerBench [latentDim] [threads=N] [cpu|process]`; `LayerBench kernels`
// times the passes inside the convolution layers instead. Numbers are noisy on a shared machine;
// `threads=1 cpu` gives the single-core work, which other processes disturb much less, and `threads=2
// process` the CPU time the two threads spend together.

BLASKernelSelection.reexecuteWithBestKernels()
/// `threads=N` sets OpenBLAS's threads (2 by default, the machine's cores).
BLAS.threadCount = CommandLine.arguments.compactMap { $0.hasPrefix("threads=") ? Int($0.dropFirst(8)) : nil }.first ?? 2

let latentDim = CommandLine.arguments.dropFirst().compactMap { Int($0) }.first ?? 2
let batch = 128
let repeats = 5

struct Figure {
    let median: Double, low: Double, high: Double
    var text: String { String(format: "%8.3f  (%.3f-%.3f)", median, low, high) }
}

/// `cpu` times the calling thread's CPU time instead of the wall clock: with `threads=1` all the work
/// runs on that thread, and its CPU time does not count the time other processes hold the core.
/// `process` times the CPU time of all the process's threads: with `threads=2`, what the second thread
/// costs in extra work (spinning, waiting) over the single-core figure.
let threadCPUTime = CommandLine.arguments.contains("cpu")
let processCPUTime = CommandLine.arguments.contains("process")

func now() -> Double {
    var t = timespec()
    clock_gettime(threadCPUTime ? CLOCK_THREAD_CPUTIME_ID : processCPUTime ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Median and range of `repeats` medians of `runs` timings of `body` (after `setup`, untimed), in `unit` seconds.
func measure(runs: Int, unit: Double = 1e-3, setup: () -> Void = {}, _ body: () -> Void) -> Figure {
    var medians: [Double] = []
    for _ in 0 ..< repeats {
        var times: [Double] = []
        for _ in 0 ..< runs {
            setup()
            let start = now()
            body()
            times.append((now() - start) / unit)
        }
        medians.append(times.sorted()[times.count / 2])
    }
    medians.sort()
    return Figure(median: medians[medians.count / 2], low: medians.first!, high: medians.last!)
}

func randomMatrix(_ rows: Int, _ columns: Int, _ g: inout SeededGenerator, scale: Float = 1) -> Matrix {
    let m = Matrix(rows: rows, columns: columns)
    for i in 0 ..< m.count { m.storage[i] = (g.nextUniform() * 2 - 1) * scale }
    return m
}

if CommandLine.arguments.contains("kernels") {
    print("blas_core \(BLASKernelSelection.coreName)  threads \(BLAS.threadCount)  batch \(batch): median of \(repeats) medians (range)")
    printKernelTimings(batch: batch)
    exit(0)
}

var generator = SeededGenerator(seed: 1)

// The network, with PyTorch's default initialisation.
let conv1 = Conv2D(name: "c1", inputChannels: 1, outputChannels: 32, inputSide: 28, kernelSize: 3, stride: 2, padding: 1, activation: .relu)
let conv2 = Conv2D(name: "c2", inputChannels: 32, outputChannels: 64, inputSide: 14, kernelSize: 3, stride: 2, padding: 1, activation: .relu)
let encoderHidden = Dense(name: "fc", inputSize: 3136, outputSize: 128, activation: .relu)
let encoderMean = Dense(name: "mu", inputSize: 128, outputSize: latentDim, activation: .identity)
let encoderLogVariance = Dense(name: "lv", inputSize: 128, outputSize: latentDim, activation: .identity)
let decoderHidden = Dense(name: "d1", inputSize: latentDim, outputSize: 128, activation: .relu)
let decoderGrid = Dense(name: "d2", inputSize: 128, outputSize: 3136, activation: .relu)
let deconv1 = ConvTranspose2D(name: "t1", inputChannels: 64, outputChannels: 32, inputSide: 7, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, activation: .relu)
let deconv2 = ConvTranspose2D(name: "t2", inputChannels: 32, outputChannels: 1, inputSide: 14, kernelSize: 3, stride: 2, padding: 1, outputPadding: 1, activation: .identity)
conv1.initialize(using: &generator); conv2.initialize(using: &generator)
for layer in [encoderHidden, encoderMean, encoderLogVariance, decoderHidden, decoderGrid] { layer.initialize(using: &generator) }
deconv1.initialize(using: &generator); deconv2.initialize(using: &generator)
let parameters = conv1.parameters + conv2.parameters
    + [encoderHidden, encoderMean, encoderLogVariance, decoderHidden, decoderGrid].flatMap(\.parameters)
    + deconv1.parameters + deconv2.parameters

// MARK: Training, per layer

print("blas_core \(BLASKernelSelection.coreName)  threads \(BLAS.threadCount)  batch \(batch)  latent \(latentDim)  clock \(threadCPUTime ? "thread CPU time" : processCPUTime ? "process CPU time" : "wall")")
print("per layer, ms per \(batch)-image batch: median of \(repeats) medians (range)")

/// Activations and gradients of the whole network for one batch.
func matrix(_ columns: Int) -> Matrix { Matrix(rows: batch, columns: columns) }
let images = matrix(784)
for i in 0 ..< images.count { images.storage[i] = generator.nextUniform() }
let h1 = matrix(conv1.outputSize), h2 = matrix(conv2.outputSize), h3 = matrix(128)
let mean = matrix(latentDim), logVariance = matrix(latentDim), noise = matrix(latentDim), z = matrix(latentDim)
let g1 = matrix(128), g2 = matrix(3136), g3 = matrix(deconv1.outputSize), logits = matrix(784)
let dh1 = matrix(conv1.outputSize), dh2 = matrix(conv2.outputSize), dh3 = matrix(128)
let dmean = matrix(latentDim), dlogVariance = matrix(latentDim), dz = matrix(latentDim)
let dg1 = matrix(128), dg2 = matrix(3136), dg3 = matrix(deconv1.outputSize), dlogits = matrix(784)
let w1 = conv1.makeWorkspace(), w2 = conv2.makeWorkspace()
let w3 = deconv1.makeWorkspace(), w4 = deconv2.makeWorkspace()

@MainActor func refill(_ m: Matrix) { for i in 0 ..< m.count { m.storage[i] = generator.nextUniform() * 2 - 1 } }

struct LayerTiming { let name: String; let forward: () -> Void; let backward: () -> Void; let gradient: Matrix }
let timings: [LayerTiming] = [
    LayerTiming(name: "conv1 1->32 28->14 (no dx)", forward: { conv1.forward(images, into: h1, workspace: w1) },
                backward: { conv1.backward(input: images, output: h1, outputGradient: dh1, inputGradient: nil, workspace: w1) }, gradient: dh1),
    LayerTiming(name: "conv2 32->64 14->7", forward: { conv2.forward(h1, into: h2, workspace: w2) },
                backward: { conv2.backward(input: h1, output: h2, outputGradient: dh2, inputGradient: dh1, workspace: w2) }, gradient: dh2),
    LayerTiming(name: "linear 3136->128", forward: { encoderHidden.forward(h2, into: h3) },
                backward: { encoderHidden.backward(input: h2, output: h3, outputGradient: dh3, inputGradient: dh2) }, gradient: dh3),
    LayerTiming(name: "linear 128->3136", forward: { decoderGrid.forward(g1, into: g2) },
                backward: { decoderGrid.backward(input: g1, output: g2, outputGradient: dg2, inputGradient: dg1) }, gradient: dg2),
    LayerTiming(name: "deconv1 64->32 7->14", forward: { deconv1.forward(g2, into: g3, workspace: w3) },
                backward: { deconv1.backward(input: g2, output: g3, outputGradient: dg3, inputGradient: dg2, workspace: w3) }, gradient: dg3),
    LayerTiming(name: "deconv2 32->1 14->28", forward: { deconv2.forward(g3, into: logits, workspace: w4) },
                backward: { deconv2.backward(input: g3, output: logits, outputGradient: dlogits, inputGradient: dg3, workspace: w4) }, gradient: dlogits),
]
// The decoder's first input; every other layer reads what the row above it produced.
refill(g1)
var layerTotal = 0.0
for t in timings {
    t.forward()   // also produces the next layer's input
    let forward = measure(runs: 20, t.forward)
    let backward = measure(runs: 20, setup: { t.forward(); refill(t.gradient) }, t.backward)
    layerTotal += forward.median + backward.median
    print("\(t.name.padding(toLength: 28, withPad: " ", startingAt: 0)) forward \(forward.text)   backward \(backward.text)")
}
print(String(format: "sum of the medians above: %.2f ms per batch", layerTotal))

// MARK: Training, one whole step

/// One step as a trainer would run it: forward, Bernoulli + KL loss, backward, Adam.
let adamMoments = parameters.map { (Matrix(rows: $0.value.rows, columns: $0.value.columns), Matrix(rows: $0.value.rows, columns: $0.value.columns)) }
var adamStep = 0
@MainActor func trainingStep() {
    conv1.forward(images, into: h1, workspace: w1)
    conv2.forward(h1, into: h2, workspace: w2)
    encoderHidden.forward(h2, into: h3)
    encoderMean.forward(h3, into: mean)
    encoderLogVariance.forward(h3, into: logVariance)
    for i in 0 ..< z.count {
        noise.storage[i] = generator.nextGaussian()
        z.storage[i] = mean.storage[i] + expf(0.5 * logVariance.storage[i]) * noise.storage[i]
    }
    decoderHidden.forward(z, into: g1)
    decoderGrid.forward(g1, into: g2)
    deconv1.forward(g2, into: g3, workspace: w3)
    deconv2.forward(g3, into: logits, workspace: w4)
    let scale = 1 / Float(batch)
    _ = lx_bce_with_logits(logits.storage, images.storage, dlogits.storage, logits.count, scale)

    deconv2.backward(input: g3, output: logits, outputGradient: dlogits, inputGradient: dg3, workspace: w4)
    deconv1.backward(input: g2, output: g3, outputGradient: dg3, inputGradient: dg2, workspace: w3)
    decoderGrid.backward(input: g1, output: g2, outputGradient: dg2, inputGradient: dg1)
    decoderHidden.backward(input: z, output: g1, outputGradient: dg1, inputGradient: dz)
    for i in 0 ..< z.count {
        let sigma = expf(0.5 * logVariance.storage[i])
        dmean.storage[i] = dz.storage[i] + mean.storage[i] * scale
        dlogVariance.storage[i] = dz.storage[i] * noise.storage[i] * sigma * 0.5 + (sigma * sigma - 1) * 0.5 * scale
    }
    encoderMean.backward(input: h3, output: mean, outputGradient: dmean, inputGradient: dh3)
    encoderLogVariance.backward(input: h3, output: logVariance, outputGradient: dlogVariance, inputGradient: dh3,
                                accumulateInputGradient: true)
    encoderHidden.backward(input: h2, output: h3, outputGradient: dh3, inputGradient: dh2)
    conv2.backward(input: h1, output: h2, outputGradient: dh2, inputGradient: dh1, workspace: w2)
    conv1.backward(input: images, output: h1, outputGradient: dh1, inputGradient: nil, workspace: w1)

    adamStep += 1
    let (b1, b2): (Float, Float) = (0.9, 0.999)
    let correction1 = 1 - powf(b1, Float(adamStep)), correction2 = 1 - powf(b2, Float(adamStep))
    for (p, (m, v)) in zip(parameters, adamMoments) {
        lx_adam_update(p.value.storage, p.gradient.storage, m.storage, v.storage, p.value.count, b1, b2, 1e-8,
                       1e-3 / correction1, 1 / correction2.squareRoot())
    }
}
for _ in 0 ..< 5 { trainingStep() }
let step = measure(runs: 20, trainingStep)
print("whole training step (forward, loss, backward, Adam): \(step.text) ms per batch = "
      + String(format: "%.0f samples/s (range %.0f-%.0f)", Double(batch) / step.median * 1e3,
               Double(batch) / step.high * 1e3, Double(batch) / step.low * 1e3))

// MARK: Inference without BLAS

/// Buffers for decoding up to `capacity` latent points on one thread, made once.
final class DecoderScratch: @unchecked Sendable {
    let hidden, grid, planes, pixels, convolution: UnsafeMutablePointer<Float>
    init(capacity: Int) {
        hidden = .allocate(capacity: capacity * 128)
        grid = .allocate(capacity: capacity * 3136)
        planes = .allocate(capacity: capacity * deconv1.outputSize)
        pixels = .allocate(capacity: capacity * 784)
        convolution = .allocate(capacity: max(deconv1.inferenceScratchCount, deconv2.inferenceScratchCount))
    }
}

/// The whole decoder without BLAS: z [count, L] -> pixel probabilities [count, 784] in `scratch.pixels`.
func decode(_ points: UnsafePointer<Float>, count: Int, scratch: DecoderScratch) {
    decoderHidden.inferenceForward(points, count: count, into: scratch.hidden)
    decoderGrid.inferenceForward(scratch.hidden, count: count, into: scratch.grid)
    deconv1.inferenceForward(scratch.grid, count: count, into: scratch.planes, scratch: scratch.convolution)
    deconv2.inferenceForward(scratch.planes, count: count, into: scratch.pixels, scratch: scratch.convolution)
    lx_sigmoid(scratch.pixels, scratch.pixels, count * 784)
}

// The same, layer by layer, for one point.
let single = DecoderScratch(capacity: 1)
var point = (0 ..< latentDim).map { _ in generator.nextGaussian() }
print("BLAS-free decoder, one latent point, us: median of \(repeats) medians (range)")
let parts: [(String, () -> Void)] = [
    ("linear z->128", { decoderHidden.inferenceForward(point, count: 1, into: single.hidden) }),
    ("linear 128->3136", { decoderGrid.inferenceForward(single.hidden, count: 1, into: single.grid) }),
    ("deconv1 64->32", { deconv1.inferenceForward(single.grid, count: 1, into: single.planes, scratch: single.convolution) }),
    ("deconv2 32->1", { deconv2.inferenceForward(single.planes, count: 1, into: single.pixels, scratch: single.convolution) }),
    ("sigmoid 784", { lx_sigmoid(single.pixels, single.pixels, 784) }),
]
for (name, body) in parts {
    body()
    print("  \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(measure(runs: 1_000, unit: 1e-6, body).text)")
}
var which = 0
let points = (0 ..< 64 * latentDim).map { _ in generator.nextGaussian() * 2 }
let one = measure(runs: 2_000, unit: 1e-6) {
    points.withUnsafeBufferPointer { decode($0.baseAddress! + (which & 63) * latentDim, count: 1, scratch: single) }
    which += 1
}
print("whole decoder, one point: \(one.text) us")

// A 15 x 15 grid, as the explorer draws it: two threads, each with its own scratch.
let side = 15, gridCount = side * side
var grid: [Float] = []
for row in 0 ..< side {
    for column in 0 ..< side {
        grid += [Float(column) / Float(side) * 6 - 3, 3 - Float(row) / Float(side) * 6]
        grid += [Float](repeating: 0.5, count: latentDim - 2)
    }
}
let halves = [DecoderScratch(capacity: (gridCount + 1) / 2), DecoderScratch(capacity: (gridCount + 1) / 2)]
let gridPoints = grid
for threads in threadCPUTime ? [1] : [1, 2] {   // a thread's CPU time cannot time two threads
    let figure = measure(runs: 40) {
        if threads == 1 {
            let scratch = halves[0]
            gridPoints.withUnsafeBufferPointer { all in
                var start = 0
                while start < gridCount {   // in two halves through one scratch, like one thread of the two
                    let count = min((gridCount + 1) / 2, gridCount - start)
                    decode(all.baseAddress! + start * latentDim, count: count, scratch: scratch)
                    start += count
                }
            }
        } else {
            _ = Parallel.mapChunks(count: gridCount, chunks: 2) { range in
                gridPoints.withUnsafeBufferPointer { all in
                    decode(all.baseAddress! + range.lowerBound * latentDim, count: range.count,
                           scratch: halves[range.lowerBound == 0 ? 0 : 1])
                }
            }
        }
    }
    print("whole decoder, \(gridCount) points on \(threads) thread\(threads == 1 ? "" : "s"): \(figure.text) ms")
}
