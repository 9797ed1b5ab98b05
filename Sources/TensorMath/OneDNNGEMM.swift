import Foundation

/// An fp32 `GEMM` backend on oneDNN's `dnnl_sgemm`, loaded at run time from `libdnnl.so.2` when present.
///
/// Why: the encoder's products are short and wide (a batch has 10–300 token rows against 256–1536 weight
/// columns). At those sizes OpenBLAS spends much of its time re-packing the weights on every call, while oneDNN's
/// JIT kernels handle small `M` directly: about 2x OpenBLAS's GFLOP/s at 9 rows, 1.5x at 32, 1.1x at 300 on an
/// AVX-512 Xeon. The library is optional (`OneDNNLibrary`), so a machine without it still runs the OpenBLAS path
/// (`RuntimeSettings.Backend.automatic` in BertClassifier). Results differ from OpenBLAS only by float rounding order.
///
/// oneDNN costs about 0.4 µs more per call than OpenBLAS, which dominates attention's tiny per-head products
/// (10 x 10 x 64), so products below `smallProductLimit` multiply-adds go to OpenBLAS.
public struct OneDNNGEMM: GEMM {
    private let library: OneDNNLibrary
    /// OpenMP threads one product may use; 1 when the caller runs several batches in parallel itself.
    public let threads: Int
    /// `m·n·k` below which OpenBLAS is faster: measured crossover between 25k and 100k on an AVX-512 Xeon.
    public static let smallProductLimit = 50_000
    private let small = OpenBLASGEMM()

    /// Opens oneDNN; nil when `libdnnl.so.2` cannot be loaded (then use `OpenBLASGEMM`).
    public init?(threads: Int = 1) {
        guard let library = OneDNNLibrary.shared else { return nil }
        self.library = library
        self.threads = max(1, threads)
    }

    public var name: String { "oneDNN sgemm" }

    public func multiply(
        m: Int, n: Int, k: Int,
        alpha: Float,
        a: UnsafePointer<Float>, lda: Int, transposeA: Transpose,
        b: UnsafePointer<Float>, ldb: Int, transposeB: Transpose,
        beta: Float,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m * n * k >= Self.smallProductLimit else {
            small.multiply(m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, transposeA: transposeA,
                           b: b, ldb: ldb, transposeB: transposeB, beta: beta, c: c, ldc: ldc)
            return
        }
        library.setThreads?(Int32(threads))
        let status = library.sgemm(OneDNNLibrary.flag(transposeA), OneDNNLibrary.flag(transposeB),
                                   Int64(m), Int64(n), Int64(k), alpha,
                                   a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
        // dnnl_sgemm only fails on invalid arguments, which the callers' shapes rule out.
        precondition(status == 0, "dnnl_sgemm failed with status \(status) for \(m)x\(n)x\(k)")
    }
}
