import Foundation

/// Picks the matrix-multiply backend at start-up.
///
/// Why: oneDNN is faster for the encoder's small-`M` products but is an optional system library; OpenBLAS is
/// always linked and is the reference the parity tests run on. `QUERYKIND_GEMM=openblas` (or `onednn`) overrides
/// the choice, e.g. to compare the two on the same machine.
public enum GEMMBackends {
    /// oneDNN when it loads (and is not overridden), else OpenBLAS. `threads` is what one product may use.
    public static func preferred(threads: Int = 1,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> any GEMM {
        named(environment["QUERYKIND_GEMM"] ?? "onednn", threads: threads) ?? OpenBLASGEMM()
    }

    /// The backend called `name` (`openblas` or `onednn`), or nil when unknown or unavailable here.
    public static func named(_ name: String, threads: Int = 1) -> (any GEMM)? {
        switch name.lowercased() {
        case "openblas": OpenBLASGEMM()
        case "onednn": OneDNNGEMM(threads: threads)
        default: nil
        }
    }
}
