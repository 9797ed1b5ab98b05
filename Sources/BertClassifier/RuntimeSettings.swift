import Foundation
import TensorMath

/// How a classifier runs on this machine: the arithmetic, the matrix-multiply backend and the worker threads.
///
/// Why a value: these choices are read once at the edge (the command line's flags and the SQLite extension, with
/// `QUERYKIND_*` environment variables as defaults) and passed down, so the model's modules read no `QUERYKIND_*`
/// variable and every front end offers the same choices.
public struct RuntimeSettings: Sendable, Equatable {
    /// Which matrix-multiply library runs the dense products.
    public enum Backend: String, Sendable, CaseIterable {
        /// oneDNN when it loads here, else OpenBLAS.
        case automatic
        /// oneDNN's `dnnl_sgemm` (faster at the encoder's small row counts; needs `libdnnl2`).
        case onednn
        /// OpenBLAS's `cblas_sgemm`: always present, and the path the PyTorch parity tests check.
        case openblas
    }

    /// The encoder's arithmetic (a precision this machine cannot run falls back to `.float32`, with a warning).
    public var precision: NumericPrecision
    public var backend: Backend
    /// Worker threads running whole batches side by side, each product single-threaded; nil keeps one worker and
    /// lets the backend thread its products itself (the reference set-up).
    public var threads: Int?

    public init(precision: NumericPrecision = .float32, backend: Backend = .automatic, threads: Int? = nil) {
        self.precision = precision
        self.backend = backend
        self.threads = threads.map { max(1, $0) }
    }

    /// Workers when none are asked for: one per core (the default of `--threads` and of the SQLite extension).
    public static var defaultThreads: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// fp32 on OpenBLAS with one worker: the set-up the PyTorch parity fixtures are checked against.
    public static let reference = RuntimeSettings(precision: .float32, backend: .openblas, threads: nil)

    /// The fastest fp32 set-up here: the preferred backend and one worker per core. Why workers rather than
    /// threaded products: one product of a small batch cannot keep several cores busy, independent batches can.
    public static func throughput(threads: Int = defaultThreads) -> RuntimeSettings {
        RuntimeSettings(precision: .float32, backend: .automatic, threads: threads)
    }

    /// Sets what these settings need of the whole process, once, at the program's start (the command line's and the
    /// SQLite extension's entry points call it before loading a classifier): with worker threads (`threads` set),
    /// OpenBLAS's own thread count becomes 1, so the workers' products do not each start a thread per core.
    /// Why a call of its own: OpenBLAS's thread count belongs to the process (every classifier in it, every product),
    /// so loading a classifier must not change it behind its caller's back.
    public func configureProcess() {
        if threads != nil { OpenBLASCore.threads = 1 }
    }

    /// The backend as a `GEMM`; throws when `.onednn` was asked for and oneDNN cannot be loaded here.
    func makeGEMM() throws -> any GEMM {
        switch backend {
        case .automatic: return OneDNNGEMM(threads: 1) ?? OpenBLASGEMM()
        case .openblas: return OpenBLASGEMM()
        case .onednn:
            guard let oneDNN = OneDNNGEMM(threads: 1) else {
                throw ModelLoadError.unavailableBackend(name: backend.rawValue,
                                                        reason: "libdnnl.so.2 could not be loaded (install libdnnl2)")
            }
            return oneDNN
        }
    }
}
