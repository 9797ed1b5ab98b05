import CBLAS
import Foundation

/// Which OpenBLAS kernel family runs, and which one this CPU should run.
///
/// Debian's OpenBLAS 0.3.21 does not recognise some newer Xeons and silently falls back to its
/// `Prescott` kernels, about 5x slower. It reads `OPENBLAS_CORETYPE` only while the library loads,
/// so a process that finds itself misdetected must be restarted with the variable set.
public enum OpenBLASCore {
    /// The kernel family OpenBLAS chose for this process, e.g. `SkylakeX` or `Prescott`.
    public static var running: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// The `OPENBLAS_CORETYPE` this CPU supports best, from its feature flags, or nil if unknown.
    public static func fitting(cpuFlags: Set<Substring>) -> String? {
        if cpuFlags.contains("avx512_bf16") { return "Cooperlake" }
        if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512bw") { return "SkylakeX" }
        if cpuFlags.contains("avx2") { return "Haswell" }
        return nil
    }

    /// The core type to restart with when OpenBLAS picked a slower kernel family than the CPU supports
    /// and the user has not chosen one; nil when the running choice should stand.
    public static func correction(environment: [String: String]) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil,
              let fitting = fitting(cpuFlags: CPUFeatures.flags),
              running.caseInsensitiveCompare(fitting) != .orderedSame,
              ["Prescott", "Core2", "Nehalem", "Sandybridge", "Katmai", "Unknown"]
                .contains(where: { running.caseInsensitiveCompare($0) == .orderedSame })
        else { return nil }
        return fitting
    }
}

extension OpenBLASCore {
    /// Threads OpenBLAS may use for one matrix product; benchmarks match PyTorch's thread count with it.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }
}
