import XCTest
@testable import TensorMath

/// The decision behind `querykind`'s restart at launch: which OpenBLAS kernel family a CPU should run, and
/// when a process must restart to get it. (The restart itself needs a CPU that OpenBLAS misdetects, with
/// `OPENBLAS_CORETYPE` unset; this machine's environment sets it, so that path runs only there.)
final class OpenBLASCoreTests: XCTestCase {
    func testFittingKernelFamilyFromCPUFlags() {
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: ["avx2", "avx512f", "avx512bw", "avx512_bf16"]), "Cooperlake")
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: ["avx2", "avx512f", "avx512bw"]), "SkylakeX")
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: ["avx2", "avx512f"]), "Haswell", "AVX-512 without BW is not SkylakeX")
        XCTAssertEqual(OpenBLASCore.fitting(cpuFlags: ["sse3", "avx"]), nil)
    }

    /// A core type the user chose always stands, even a slow one; and a process already running a fitting or
    /// faster-than-generic kernel is never restarted.
    func testNoRestartWhenChosenOrAlreadyFitting() {
        XCTAssertNil(OpenBLASCore.correction(environment: ["OPENBLAS_CORETYPE": "Prescott"]))
        XCTAssertNotEqual(OpenBLASCore.running, "Prescott", "the test process itself runs a generic kernel")
        XCTAssertNil(OpenBLASCore.correction(environment: [:]), "running \(OpenBLASCore.running) needs no restart")
    }
}
