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

    /// `dnnl_cpu_isa_t` values of libdnnl.so.2 (oneDNN 2.x) that `dnnl_get_effective_cpu_isa` reports.
    private static let avx2ISA: UInt32 = 0x7, avx512CoreISA: UInt32 = 0x27, avx512VNNIISA: UInt32 = 0x67
    private static let avx512BF16ISA: UInt32 = 0xe7, amxISA: UInt32 = 0x3e7, avx2VNNIISA: UInt32 = 0x407

    func testIntelXeonWithVNNIRunsInt8ButNotBFloat16() {
        let cpu = flags(Self.intelXeonVNNI)
        XCTAssertNil(Int8Linear.requirementMissing(cpuFlags: cpu, oneDNN: true))
        XCTAssertEqual(Int8Linear.weightBits(cpuFlags: cpu, oneDNNISA: Self.avx512VNNIISA), 8)
        // `ONEDNN_MAX_CPU_ISA=AVX2` (or AVX512_CORE) on this CPU: oneDNN's kernels saturate, so 7-bit weights.
        XCTAssertEqual(Int8Linear.weightBits(cpuFlags: cpu, oneDNNISA: Self.avx2ISA), 7)
        XCTAssertEqual(Int8Linear.weightBits(cpuFlags: cpu, oneDNNISA: Self.avx512CoreISA), 7)
        XCTAssertEqual(BFloat16Linear.requirementMissing(cpuFlags: cpu, oneDNNBF16: true),
                       "the CPU has no bf16 products (neither avx512_bf16 nor amx_bf16)")
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: cpu), "SkylakeX")
    }

    func testAMDEPYCWithBFloat16RunsBoth() {
        let cpu = flags(Self.amdEPYCBF16)
        XCTAssertNil(Int8Linear.requirementMissing(cpuFlags: cpu, oneDNN: true))
        XCTAssertNil(BFloat16Linear.requirementMissing(cpuFlags: cpu, oneDNNBF16: true))
        XCTAssertEqual(Int8Linear.weightBits(cpuFlags: cpu, oneDNNISA: Self.avx512BF16ISA), 8)
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: cpu), "Cooperlake")
    }

    /// The CPU of issue 26: int8 runs, with 7-bit weights (exact under `vpmaddubsw`); bf16 is refused with its reason.
    func testAMDEPYCWithAVX2OnlyRunsInt8WithSevenBitWeightsAndRefusesBFloat16() {
        let cpu = flags(Self.amdEPYCAVX2)
        XCTAssertNil(Int8Linear.requirementMissing(cpuFlags: cpu, oneDNN: true))
        XCTAssertEqual(Int8Linear.weightBits(cpuFlags: cpu, oneDNNISA: Self.avx2ISA), 7)
        XCTAssertEqual(BFloat16Linear.requirementMissing(cpuFlags: cpu, oneDNNBF16: true),
                       "the CPU has no bf16 products (neither avx512_bf16 nor amx_bf16)")
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: cpu), "Haswell")
    }

    func testAVXVNNIKeepsEightBitWeights() {
        let cpu = flags(Self.amdEPYCAVX2 + " avx_vnni")
        XCTAssertNil(Int8Linear.requirementMissing(cpuFlags: cpu, oneDNN: true))
        XCTAssertEqual(Int8Linear.weightBits(cpuFlags: cpu, oneDNNISA: Self.avx2VNNIISA), 8)
    }

    /// Int8 needs AVX2: an older CPU (here AVX only) is refused, and an unknown oneDNN ISA means 7-bit weights.
    func testWithoutAVX2Int8IsRefusedAndAnUnknownISASavesNoBit() {
        let avx = flags("flags : fpu sse sse2 ssse3 sse4_1 sse4_2 avx")
        XCTAssertEqual(Int8Linear.requirementMissing(cpuFlags: avx, oneDNN: true), "the CPU has no AVX2")
        XCTAssertEqual(Int8Linear.weightBits(cpuFlags: flags(Self.intelXeonVNNI), oneDNNISA: nil), 7)
    }

    /// Which `dnnl_cpu_isa_t` values multiply u8 x s8 with VNNI (32-bit sums) rather than `vpmaddubsw`.
    func testOneDNNISAsWithVNNI() {
        for isa in [Self.avx512VNNIISA, Self.avx512BF16ISA, Self.amxISA, Self.avx2VNNIISA] {
            XCTAssertTrue(OneDNNLibrary.multipliesWithVNNI(isa: isa), String(isa, radix: 16))
        }
        for isa: UInt32 in [0x1, 0x3, Self.avx2ISA, Self.avx512CoreISA] {
            XCTAssertFalse(OneDNNLibrary.multipliesWithVNNI(isa: isa), String(isa, radix: 16))
        }
    }

    func testWithoutOneDNNNothingLowPrecisionRunsOnAnyCPU() {
        for line in [Self.intelXeonVNNI, Self.amdEPYCBF16, Self.amdEPYCAVX2] {
            XCTAssertEqual(Int8Linear.requirementMissing(cpuFlags: flags(line), oneDNN: false),
                           "oneDNN (Debian's libdnnl2) is not installed")
            XCTAssertEqual(BFloat16Linear.requirementMissing(cpuFlags: flags(line), oneDNNBF16: false),
                           "oneDNN (Debian's libdnnl2) with bf16 products is not installed")
        }
    }

    /// This machine's own decision matches its flags, so the tests' branches follow the CPU they run on.
    func testThisMachineDecidesFromItsOwnFlags() throws {
        let here = CPUFeatures.parse(cpuinfo: try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))
        XCTAssertEqual(here, CPUFeatures.flags)
        XCTAssertEqual(Int8Linear.isAvailable,
                       Int8Linear.requirementMissing(cpuFlags: here, oneDNN: OneDNNLibrary.shared != nil) == nil)
        XCTAssertEqual(Int8Linear.weightBitsHere,
                       Int8Linear.weightBits(cpuFlags: here, oneDNNISA: OneDNNLibrary.shared?.effectiveISA))
    }
}
