import ArgumentParser
import BertClassifier
import Foundation

/// The model and how to run it, shared by every command that runs the classifier: `--model`, `--precision`,
/// `--gemm`, `--threads` and `--inference-batch`, each defaulting to its `QUERYKIND_*` environment variable.
///
/// Why here: the command line reads these variables in this one place and passes them down as a `ModelDirectory`
/// and a `RuntimeSettings`; the libraries take them as arguments (the SQLite extension, a front end of its own,
/// reads the same variables).
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A HuggingFace BERT model directory (config.json, vocab.txt, model.safetensors or pytorch_model.bin).",
        discussion: "Default: $QUERYKIND_MODEL, else the shipped model \(ModelDirectory.shippedName) found in "
            + "./Models, or in Models/ or share/querykind/Models/ beside or above the executable.",
        valueName: "dir"))
    var model: String?

    @Option(name: .long, help: ArgumentHelp(
        "Encoder arithmetic: float32, int8 (needs AVX2 and FMA; 7-bit weights without AVX-512 VNNI) or bfloat16 (needs "
            + "oneDNN and AVX512-BF16 or AMX-BF16); where the CPU lacks it, float32 runs and one stderr line says "
            + "why. Default: $QUERYKIND_PRECISION, else float32.",
        valueName: "precision"))
    var precision: NumericPrecision?

    @Option(name: .long, help: ArgumentHelp(
        "Matrix-multiply backend: automatic (oneDNN when installed, else OpenBLAS), onednn or openblas. "
            + "Default: $QUERYKIND_GEMM, else automatic.", valueName: "backend"))
    var gemm: RuntimeSettings.Backend?

    @Option(name: .long, help: ArgumentHelp(
        "Inference threads, each running whole batches. Default: $QUERYKIND_THREADS, else one per core.",
        valueName: "n"))
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Texts per model call (one forward pass): larger batches amortize more, smaller ones finish sooner.",
        valueName: "n"))
    var inferenceBatch = QueryClassifier.defaultInferenceBatch

    func validate() throws {
        guard inferenceBatch >= 1 else { throw ValidationError("--inference-batch must be at least 1") }
        _ = try settings()
    }

    /// The runtime settings: flags first, then `QUERYKIND_PRECISION`, `QUERYKIND_GEMM`, `QUERYKIND_THREADS`.
    func settings(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RuntimeSettings {
        func fromEnvironment<Value>(_ name: String, _ parse: (String) -> Value?) throws -> Value? {
            guard let raw = environment[name], !raw.isEmpty else { return nil }
            guard let value = parse(raw) else { throw ValidationError("$\(name)=\(raw) is not a valid value") }
            return value
        }
        let threads = try threads ?? fromEnvironment("QUERYKIND_THREADS") { Int($0) }
            ?? RuntimeSettings.defaultThreads
        guard threads >= 1 else { throw ValidationError("--threads (or $QUERYKIND_THREADS) must be at least 1") }
        return RuntimeSettings(
            precision: try precision ?? fromEnvironment("QUERYKIND_PRECISION", NumericPrecision.init) ?? .float32,
            backend: try gemm ?? fromEnvironment("QUERYKIND_GEMM") { RuntimeSettings.Backend(rawValue: $0.lowercased()) }
                ?? .automatic,
            threads: threads)
    }

    /// How many waiting standard-input lines `classify` and `lookup` label together at most: eight inference
    /// batches per worker thread, so every core has work and batches of unequal length even out, while a pipe
    /// that delivers fewer lines gets them answered at once (see `StandardInputLines`).
    var readAhead: Int { inferenceBatch * 8 * ((try? settings())?.threads ?? 1) }

    /// The model directory: `--model`, then `$QUERYKIND_MODEL`, then the shipped model (see `ModelDirectory.resolve`).
    func directory() throws -> ModelDirectory {
        do {
            return try ModelDirectory.resolve(
                explicit: model, environment: ProcessInfo.processInfo.environment,
                currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                executable: Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0]))
        } catch {
            throw CommandFailure("\(error)")
        }
    }

    /// Loads the classifier with these settings (or `settings` when given), turning load failures into a one-line
    /// error for the terminal; a precision that cannot run here is said on stderr in one line. First it sets what
    /// the settings need of the process (`RuntimeSettings.configureProcess`): every command loads its model here, so
    /// this is the command line's one place for it.
    func loadClassifier(settings override: RuntimeSettings? = nil) throws -> QueryClassifier {
        let directory = try directory()
        let settings = try override ?? settings()
        settings.configureProcess()
        let classifier: QueryClassifier
        do {
            classifier = try QueryClassifier(directory, settings: settings)
        } catch {
            throw CommandFailure("cannot load model \(directory.url.path): \(error)")
        }
        if let fallback = classifier.precisionFallback {
            FileHandle.standardError.write(Data("warning: \(fallback)\n".utf8))
        }
        return classifier
    }
}

extension NumericPrecision: ExpressibleByArgument {}
extension RuntimeSettings.Backend: ExpressibleByArgument {}
