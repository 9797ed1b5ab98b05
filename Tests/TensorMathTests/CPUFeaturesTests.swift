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

    func testIntelXeonWithVNNIRunsInt8ButNotBFloat16() {
        let cpu = flags(Self.intelXeonVNNI)
        XCTAssertNil(Int8Linear.requirementMissing(cpuFlags: cpu, oneDNN: true))
        XCTAssertEqual(BFloat16Linear.requirementMissing(cpuFlags: cpu, oneDNNBF16: true),
                       "the CPU has no bf16 products (neither avx512_bf16 nor amx_bf16)")
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: cpu), "SkylakeX")
    }

    func testAMDEPYCWithBFloat16RunsBoth() {
        let cpu = flags(Self.amdEPYCBF16)
        XCTAssertNil(Int8Linear.requirementMissing(cpuFlags: cpu, oneDNN: true))
        XCTAssertNil(BFloat16Linear.requirementMissing(cpuFlags: cpu, oneDNNBF16: true))
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: cpu), "Cooperlake")
    }

    func testAMDEPYCWithAVX2OnlyRunsNeitherAndSaysWhy() {
        let cpu = flags(Self.amdEPYCAVX2)
        XCTAssertEqual(Int8Linear.requirementMissing(cpuFlags: cpu, oneDNN: true),
                       "the CPU has no VNNI (neither avx512_vnni nor avx_vnni)")
        XCTAssertEqual(BFloat16Linear.requirementMissing(cpuFlags: cpu, oneDNNBF16: true),
                       "the CPU has no bf16 products (neither avx512_bf16 nor amx_bf16)")
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: cpu), "Haswell")
    }

    func testAVXVNNIAloneIsEnoughForInt8() {
        XCTAssertNil(Int8Linear.requirementMissing(cpuFlags: flags(Self.amdEPYCAVX2 + " avx_vnni"), oneDNN: true))
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
    }
}
