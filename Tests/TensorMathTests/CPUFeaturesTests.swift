import CKernels
import XCTest
@testable import TensorMath

/// Which kernels each CPU kind the project meets gets, decided from its `/proc/cpuinfo` flags alone: the logic
/// behind every test that runs a low-precision path where the CPU has it and checks the refusal where it has not.
/// Why on every machine: CI lands on all three kinds, and each runs only its own branch of those tests; this checks
/// the other kinds' decisions wherever the suite runs.
final class CPUFeaturesTests: XCTestCase {
    /// The flag lines, shortened to the x86 features that matter here plus neighbours, of the three kinds seen.
    private static let intelXeonVNNI = "flags : fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512dq "
        + "avx512ifma avx512cd avx512bw avx512vl avx512vbmi avx512_vbmi2 gfni vaes avx512_vnni avx512_bitalg"
    private static let amdEPYCBF16 = "flags : fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 sha_ni avx512f "
        + "avx512dq avx512ifma avx512cd avx512bw avx512vl avx512_bf16 avx512vbmi avx512_vbmi2 avx512_vnni"
    private static let amdEPYCAVX2 = "flags : fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 sha_ni clzero"

    private func flags(_ line: String) -> Set<Substring> {
        CPUFeatures.parse(cpuinfo: "processor : 0\nvendor_id : AuthenticAMD\n" + line + "\nbugs : sysret_ss_attrs\n")
    }

    func testFlagsAreReadFromTheFlagsLine() {
        XCTAssertEqual(flags(Self.amdEPYCAVX2), ["fpu", "sse", "sse2", "ssse3", "fma", "sse4_1", "sse4_2", "avx",
                                                  "f16c", "avx2", "sha_ni", "clzero"])
        XCTAssertEqual(CPUFeatures.parse(cpuinfo: "processor : 0\n"), [], "no flags line: no features")
        XCTAssertTrue(CPUFeatures.flags.contains("sse2"), "every x86-64 CPU lists sse2: \(CPUFeatures.flags.sorted().prefix(5))")
    }

    /// The width of int8 weight codes on a CPU with `cpu`'s flags under `ONEDNN_MAX_CPU_ISA=cap`.
    private func weightBits(_ cpu: Set<Substring>, cap: String? = nil) -> Int {
        Int(qk_int8_weight_bits(Int8Linear.level(cpuFlags: cpu, isaCap: cap)))
    }

    func testIntelXeonWithVNNIRunsInt8ButNotBFloat16() {
        let cpu = flags(Self.intelXeonVNNI)
        XCTAssertNil(Int8Linear.requirementMissing(cpuFlags: cpu, isaCap: nil))
        XCTAssertEqual(Int8Linear.level(cpuFlags: cpu, isaCap: nil), Int32(QK_LEVEL_AVX512_VNNI))
        XCTAssertEqual(weightBits(cpu), 8)
        // `ONEDNN_MAX_CPU_ISA=AVX2` (or AVX512_CORE) on this CPU: kernels without VNNI saturate, so 7-bit weights;
        // the names that allow VNNI keep 8.
        XCTAssertEqual(Int8Linear.level(cpuFlags: cpu, isaCap: "AVX2"), Int32(QK_LEVEL_AVX2))
        XCTAssertEqual(weightBits(cpu, cap: "AVX2"), 7)
        XCTAssertEqual(Int8Linear.level(cpuFlags: cpu, isaCap: "AVX512_CORE"), Int32(QK_LEVEL_AVX512))
        XCTAssertEqual(weightBits(cpu, cap: "AVX512_CORE"), 7)
        for cap in ["AVX512_CORE_VNNI", "AVX512_CORE_BF16", "AVX512_CORE_AMX", "ALL"] {
            XCTAssertEqual(weightBits(cpu, cap: cap), 8, cap)
        }
        XCTAssertEqual(BFloat16Linear.requirementMissing(cpuFlags: cpu, oneDNNBF16: true),
                       "the CPU has no bf16 products (neither avx512_bf16 nor amx_bf16)")
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: cpu), "SkylakeX")
    }

    func testAMDEPYCWithBFloat16RunsBoth() {
        let cpu = flags(Self.amdEPYCBF16)
        XCTAssertNil(Int8Linear.requirementMissing(cpuFlags: cpu, isaCap: nil))
        XCTAssertNil(BFloat16Linear.requirementMissing(cpuFlags: cpu, oneDNNBF16: true))
        XCTAssertEqual(weightBits(cpu), 8)
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: cpu), "Cooperlake")
    }

    /// The CPU of issue 26: int8 runs, with 7-bit weights (exact under `vpmaddubsw`); bf16 is refused with its reason.
    func testAMDEPYCWithAVX2OnlyRunsInt8WithSevenBitWeightsAndRefusesBFloat16() {
        let cpu = flags(Self.amdEPYCAVX2)
        XCTAssertNil(Int8Linear.requirementMissing(cpuFlags: cpu, isaCap: nil))
        XCTAssertEqual(Int8Linear.level(cpuFlags: cpu, isaCap: nil), Int32(QK_LEVEL_AVX2))
        XCTAssertEqual(weightBits(cpu), 7)
        XCTAssertEqual(BFloat16Linear.requirementMissing(cpuFlags: cpu, oneDNNBF16: true),
                       "the CPU has no bf16 products (neither avx512_bf16 nor amx_bf16)")
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: cpu), "Haswell")
    }

    /// AVX-VNNI without AVX-512 (`avx_vnni`, 256-bit `vpdpbusd`): querykind has no kernel for it, so the AVX2 one runs,
    /// with 7-bit weights.
    func testAVXVNNIRunsTheAVX2KernelsWithSevenBitWeights() {
        let cpu = flags(Self.amdEPYCAVX2 + " avx_vnni")
        XCTAssertEqual(Int8Linear.level(cpuFlags: cpu, isaCap: nil), Int32(QK_LEVEL_AVX2))
        XCTAssertEqual(weightBits(cpu), 7)
    }

    /// Int8 needs AVX2 with FMA: an older CPU (here AVX only) is refused, and so is a cap below AVX2, each with its
    /// reason. oneDNN is not needed: the products are querykind's own.
    func testWithoutAVX2Int8IsRefusedWithItsReason() {
        let avx = flags("flags : fpu sse sse2 ssse3 sse4_1 sse4_2 avx")
        XCTAssertEqual(Int8Linear.requirementMissing(cpuFlags: avx, isaCap: nil), "the CPU has no AVX2 with FMA")
        XCTAssertEqual(Int8Linear.requirementMissing(cpuFlags: flags(Self.intelXeonVNNI), isaCap: "SSE41"),
                       "ONEDNN_MAX_CPU_ISA=SSE41 rules out AVX2")
        XCTAssertNil(Int8Linear.requirementMissing(cpuFlags: flags(Self.amdEPYCAVX2), isaCap: "AVX2"))
    }

    func testWithoutOneDNNBFloat16IsRefusedOnAnyCPU() {
        for line in [Self.intelXeonVNNI, Self.amdEPYCBF16, Self.amdEPYCAVX2] {
            XCTAssertEqual(BFloat16Linear.requirementMissing(cpuFlags: flags(line), oneDNNBF16: false),
                           "oneDNN (Debian's libdnnl2) with bf16 products is not installed")
        }
    }

    /// This machine's own decision matches its flags, so the tests' branches follow the CPU they run on.
    func testThisMachineDecidesFromItsOwnFlags() throws {
        let here = CPUFeatures.parse(cpuinfo: try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        XCTAssertEqual(here, CPUFeatures.flags)
        let cap = ProcessInfo.processInfo.environment["ONEDNN_MAX_CPU_ISA"]
        XCTAssertEqual(Int8Linear.level(cpuFlags: here, isaCap: cap), qk_supported_level(),
                       "the flags and the CPU's own answer (cpuid) agree")
        XCTAssertEqual(Int8Linear.isAvailable, Int8Linear.requirementMissing(cpuFlags: here, isaCap: cap) == nil)
        XCTAssertEqual(Int8Linear.weightBitsHere, weightBits(here, cap: cap))
    }
}
