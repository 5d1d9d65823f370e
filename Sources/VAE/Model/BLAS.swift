import CBLAS
import Foundation
import Support

/// The one place that calls OpenBLAS. All matrices are row-major.
public enum BLAS {
    /// `C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C`.
    @inline(__always)
    static func gemm(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                     alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                     b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Threads OpenBLAS may use for one call (it keeps its own pool).
    public static var threadCount: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }
}

extension BLAS {
    /// The machine's sgemm speed on a large square product (`size`³, its rows split over `pool`'s
    /// threads as training splits its products): the median GFLOPS (2·size³ per call) of
    /// `repeats` calls after one warm-up call.
    public static func squareSgemmGFLOPS(size: Int = 2048, repeats: Int = 5, pool: ComputePool) -> Double {
        let a = Matrix(rows: size, columns: size), b = Matrix(rows: size, columns: size), c = Matrix(rows: size, columns: size)
        var generator = SeededGenerator(seed: 0)
        for i in 0 ..< size * size {
            a.storage[i] = generator.nextUniform()
            b.storage[i] = generator.nextUniform()
        }
        var rates: [Double] = []
        for call in 0 ... repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            pool.forEachPart(of: size) { _, rows in
                gemm(m: rows.count, n: size, k: size, a: a.storage + rows.lowerBound * size, lda: size,
                     b: b.storage, ldb: size, beta: 0, c: c.storage + rows.lowerBound * size, ldc: size)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            if call > 0 { rates.append(2 * pow(Double(size), 3) / seconds / 1e9) }
        }
        return rates.sorted()[rates.count / 2]
    }
}
