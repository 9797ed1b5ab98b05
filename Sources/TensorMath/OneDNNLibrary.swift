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
    typealias GEMMU8S8S32 = @convention(c) (
        CChar, CChar, CChar, Int64, Int64, Int64, Float,
        UnsafePointer<UInt8>, Int64, UInt8, UnsafePointer<Int8>, Int64, Int8,
        Float, UnsafeMutablePointer<Int32>, Int64, UnsafePointer<Int32>
    ) -> Int32
    typealias GEMMBF16 = @convention(c) (
        CChar, CChar, Int64, Int64, Int64, Float,
        UnsafePointer<UInt16>, Int64, UnsafePointer<UInt16>, Int64, Float, UnsafeMutablePointer<Float>, Int64
    ) -> Int32
    typealias SetThreads = @convention(c) (Int32) -> Void
    typealias EffectiveISA = @convention(c) () -> UInt32

    /// `dnnl_sgemm`: row-major fp32 GEMM.
    let sgemm: SGEMM
    /// `dnnl_gemm_u8s8s32`: row-major u8 x s8 → s32 GEMM (VNNI on CPUs that have it).
    let gemmU8S8S32: GEMMU8S8S32
    /// `dnnl_gemm_bf16bf16f32`: row-major bf16 x bf16 → fp32 GEMM; nil in oneDNN builds without it.
    let gemmBF16: GEMMBF16?
    /// libgomp's `omp_set_num_threads`: oneDNN here runs on OpenMP, whose thread count is per calling thread.
    let setThreads: SetThreads?
    /// `dnnl_get_effective_cpu_isa()`: the instruction set oneDNN's kernels use here, the CPU's own capped by
    /// `ONEDNN_MAX_CPU_ISA` (which oneDNN itself reads); nil in builds without it.
    let effectiveISA: UInt32?

    static let shared: OneDNNLibrary? = {
        guard let handle = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_LOCAL),
              let sgemm = dlsym(handle, "dnnl_sgemm"),
              let gemmU8S8S32 = dlsym(handle, "dnnl_gemm_u8s8s32") else { return nil }
        let setThreads = dlsym(handle, "omp_set_num_threads")
        return OneDNNLibrary(sgemm: unsafeBitCast(sgemm, to: SGEMM.self),
                             gemmU8S8S32: unsafeBitCast(gemmU8S8S32, to: GEMMU8S8S32.self),
                             gemmBF16: dlsym(handle, "dnnl_gemm_bf16bf16f32").map { unsafeBitCast($0, to: GEMMBF16.self) },
                             setThreads: setThreads.map { unsafeBitCast($0, to: SetThreads.self) },
                             effectiveISA: dlsym(handle, "dnnl_get_effective_cpu_isa")
                                .map { unsafeBitCast($0, to: EffectiveISA.self)() })
    }()

    /// Whether oneDNN kernels of instruction set `isa` (a `dnnl_cpu_isa_t` of libdnnl.so.2) multiply u8 x s8 with
    /// VNNI (`vpdpbusd`, 32-bit sums). In oneDNN 2.x the ISA values are bit sets: 0x40 marks AVX-512 VNNI
    /// (avx512_core_vnni 0x67, avx512_core_bf16 0xe7, avx512_core_amx 0x3e7) and 0x400 AVX-VNNI (avx2_vnni 0x407);
    /// avx2 (0x7) and avx512_core (0x27) have neither, and their `vpmaddubsw` saturates pairwise sums at 16 bits.
    static func multipliesWithVNNI(isa: UInt32) -> Bool {
        isa & 0x40 != 0 || isa & 0x400 != 0
    }

    static func flag(_ transpose: Transpose) -> CChar {
        switch transpose {
        case .none: CChar(UInt8(ascii: "N"))
        case .transposed: CChar(UInt8(ascii: "T"))
        }
    }
}
