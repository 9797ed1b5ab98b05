import Foundation

/// oneDNN's C entry points, opened at run time from `libdnnl.so.2`.
///
/// Why `dlopen` rather than linking: oneDNN is optional. A machine without it still runs the OpenBLAS path, and
/// the binary needs no new system module. Opened once per process; `shared` is nil when the library is missing.
struct OneDNNLibrary: @unchecked Sendable {
    typealias SGEMM = @convention(c) (
        CChar, CChar, Int64, Int64, Int64, Float,
        UnsafePointer<Float>, Int64, UnsafePointer<Float>, Int64, Float, UnsafeMutablePointer<Float>, Int64
    ) -> Int32
    typealias GEMMBF16 = @convention(c) (
        CChar, CChar, Int64, Int64, Int64, Float,
        UnsafePointer<UInt16>, Int64, UnsafePointer<UInt16>, Int64, Float, UnsafeMutablePointer<Float>, Int64
    ) -> Int32
    typealias SetThreads = @convention(c) (Int32) -> Void

    /// `dnnl_sgemm`: row-major fp32 GEMM.
    let sgemm: SGEMM
    /// `dnnl_gemm_bf16bf16f32`: row-major bf16 x bf16 → fp32 GEMM; nil in oneDNN builds without it.
    let gemmBF16: GEMMBF16?
    /// libgomp's `omp_set_num_threads`: oneDNN here runs on OpenMP, whose thread count is per calling thread.
    let setThreads: SetThreads?

    static let shared: OneDNNLibrary? = {
        guard let handle = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_LOCAL),
              let sgemm = dlsym(handle, "dnnl_sgemm") else { return nil }
        let setThreads = dlsym(handle, "omp_set_num_threads")
        return OneDNNLibrary(sgemm: unsafeBitCast(sgemm, to: SGEMM.self),
                             gemmBF16: dlsym(handle, "dnnl_gemm_bf16bf16f32").map { unsafeBitCast($0, to: GEMMBF16.self) },
                             setThreads: setThreads.map { unsafeBitCast($0, to: SetThreads.self) })
    }()

    static func flag(_ transpose: Transpose) -> CChar {
        switch transpose {
        case .none: CChar(UInt8(ascii: "N"))
        case .transposed: CChar(UInt8(ascii: "T"))
        }
    }
}
