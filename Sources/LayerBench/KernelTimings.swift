import CBLAS
import CKernels
import VAE

/// The passes inside the training path of each convolution layer, timed one by one at the conv
/// VAE's shapes (`LayerBench kernels`): where a layer's time goes.
@MainActor
func printKernelTimings(batch: Int) {
    let buffer = LayerWorkspace(threads: 1, floatsPerThread: 8_000_000)
    let a = buffer.storage, b = buffer.storage + 2_000_000, c = buffer.storage + 4_000_000, d = buffer.storage + 6_000_000
    var g = SeededGenerator(seed: 3)
    for i in 0 ..< buffer.floatsPerThread { buffer.storage[i] = g.nextUniform() * 2 - 1 }

    func row(_ name: String, _ body: () -> Void) {
        print("  \(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(measure(runs: 20, body).text) ms")
    }
    func gemm(_ name: String, transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int) {
        let lda = transposeA ? m : k, ldb = transposeB ? k : n
        let figure = measure(runs: 20) {
            cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(n))
        }
        let gflops = 2 * Double(m * n * k) / (figure.median * 1e-3) / 1e9
        print("  \(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(figure.text) ms  \(Int(gflops)) GFLOPS")
    }

    for (name, channels, inSide, outSide) in [("conv1", 1, 28, 14), ("conv2", 32, 14, 7)] {
        let geometry = lx_conv_geometry(channels: channels, in_side: inSide, out_side: outSide, kernel: 3, stride: 2, padding: 1)
        let n = batch * outSide * outSide, k = channels * 9
        print("\(name) (im2col geometry \(channels)x\(inSide) -> \(outSide), columns [\(k), \(n)])")
        row("im2col") { lx_im2col(geometry, a, batch, b, n, 1) }
        row("col2im") { lx_col2im(geometry, b, n, 1, batch, d, 1) }
    }
    print("conv1 products (F 32, K 9, N 25088)")
    gemm("forward  W[32,9] x columns[9,N]", m: 32, n: 25088, k: 9)
    gemm("dW       dyT[32,N] x columns^T", transposeB: true, m: 32, n: 9, k: 25088)
    row("from_channel_major 32 x 196 (+bias, ReLU)") { lx_from_channel_major(c, d, batch, 32, 196, a, 1, 0) }
    row("channel_gradient 32 x 196 (+transposed copy)") { lx_channel_gradient(d, c, a, b, batch, 32, 196, 0) }
    print("conv2 products (F 64, K 288, N 6272)")
    gemm("forward  W[64,288] x columns[288,N]", m: 64, n: 6272, k: 288)
    gemm("dW       dyT[64,N] x columns^T", transposeB: true, m: 64, n: 288, k: 6272)
    gemm("dcolumns W^T x dyT[64,N]", transposeA: true, m: 288, n: 6272, k: 64)
    row("from_channel_major 64 x 49") { lx_from_channel_major(c, d, batch, 64, 49, a, 1, 0) }
    row("to_channel_major 64 x 49") { lx_to_channel_major(c, d, batch, 64, 49) }
    print("conv2 products on 16-image chunks with the BLAS-free kernels, x 8 for the batch (N 784)")
    func chunked(_ name: String, flops: Int, _ body: () -> Void) {
        let figure = measure(runs: 20) { for _ in 0 ..< batch / 16 { body() } }
        print("  \(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(figure.text) ms  \(Int(Double(flops) / (figure.median * 1e-3) / 1e9)) GFLOPS")
    }
    let conv2Flops = 2 * 64 * 288 * 6272
    chunked("forward  lx_small_gemm", flops: conv2Flops) { lx_small_gemm(64, 784, 288, a, 288, 1, b, 784, nil, 0, c, 784) }
    chunked("dW       lx_small_linear (accumulating)", flops: conv2Flops) { lx_small_linear(c, b, nil, d, 64, 784, 288, 0, 1) }
    chunked("dcolumns lx_small_gemm (W^T)", flops: conv2Flops) { lx_small_gemm(288, 784, 64, a, 1, 288, c, 784, nil, 0, b, 784) }
    let conv2Chunk = lx_conv_geometry(channels: 32, in_side: 14, out_side: 7, kernel: 3, stride: 2, padding: 1)
    chunked("im2col (16 images)", flops: 0) { lx_im2col(conv2Chunk, a, 16, b, 784, 1) }
    chunked("col2im (16 images)", flops: 0) { lx_col2im(conv2Chunk, b, 784, 1, 16, d, 1) }
    print("linear 3136<->128 products (batch 128)")
    gemm("forward  x[128,3136] W^T", transposeB: true, m: 128, n: 128, k: 3136)
    gemm("dW       dy^T[128,128] x[128,3136]", transposeA: true, m: 128, n: 3136, k: 128)
    gemm("dx       dy[128,128] W[128,3136]", m: 128, n: 3136, k: 128)
    gemm("forward  x[128,128] W^T (128->3136)", transposeB: true, m: 128, n: 3136, k: 128)
    gemm("dW       dy^T[3136,128] x[128,128]", transposeA: true, m: 3136, n: 128, k: 128)
    gemm("dx       dy[128,3136] W[3136,128]", m: 128, n: 128, k: 3136)
    print("square, for the machine's peak")
    gemm("1024 x 1024 x 1024", m: 1024, n: 1024, k: 1024)
    print("deconv2 products (C 32, R 9, N 25088)")
    gemm("forward  W^T[9,32] x xT[32,N]", transposeA: true, m: 9, n: 25088, k: 32)
    gemm("dW       xT[32,N] x dcolumns^T", transposeB: true, m: 32, n: 9, k: 25088)
    gemm("dxT      W[32,9] x dcolumns[9,N]", m: 32, n: 25088, k: 9)
    row("to_channel_major 32 x 196") { lx_to_channel_major(c, d, batch, 32, 196) }
}
