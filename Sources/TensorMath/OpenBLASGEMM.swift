import CBLAS

/// The always-available fp32 `GEMM` backend: OpenBLAS's `cblas_sgemm`.
///
/// Why: it is the portable baseline every other backend is compared with. On Debian's OpenBLAS 0.3.21 set
/// `OPENBLAS_CORETYPE` (e.g. `SkylakeX`) before the process starts, or it silently runs slow generic kernels.
public struct OpenBLASGEMM: GEMM {
    /// Creates the backend; OpenBLAS needs no set-up.
    public init() {}

    public var name: String { "OpenBLAS sgemm" }

    public func multiply(
        m: Int, n: Int, k: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int, transposeA: Transpose,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Transpose,
        beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, Self.cblas(transposeA), Self.cblas(transposeB),
                    blasint(m), blasint(n), blasint(k), alpha,
                    a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }

    private static func cblas(_ transpose: Transpose) -> CBLAS_TRANSPOSE {
        switch transpose {
        case .none: CblasNoTrans
        case .transposed: CblasTrans
        }
    }
}
