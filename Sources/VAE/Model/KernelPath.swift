import CKernels

/// Which copy of the project's own multiversioned C kernels runs here (`Sources/CKernels/multiversion.h`):
/// the convolutions, the small register-blocked products, Adam and the loss are compiled once per x86-64
/// level and the loader picks the best this CPU runs, whatever OpenBLAS picked for its kernels
/// (`BLASKernelSelection.coreName`). `bench` reports both.
public enum KernelPath {
    /// "x86-64-v4 (AVX-512)", "x86-64-v3 (AVX2, FMA)", "x86-64 (SSE2)", or the architecture elsewhere.
    public static var name: String { String(cString: lx_kernel_path()) }
    /// The convolution products' own path inside that copy (`conv_gemm.c`): "AVX-512, 14x32 blocks" where
    /// the x86-64-v4 copy runs, "AVX2 + FMA, 6x16 blocks" on an AVX2 CPU without AVX-512, else "as lx_small_gemm".
    public static var convolutionProducts: String { String(cString: lx_conv_gemm_path()) }
}
