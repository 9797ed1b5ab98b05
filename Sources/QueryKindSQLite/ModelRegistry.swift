import BertClassifier
import CQueryKindSQLite
import Foundation

/// The models this process has loaded, each once: the default one (found as the command line finds it) and those
/// `querykind_load` named, by folder and precision.
///
/// Why process-wide: a host opens many connections (datasette, a Python pool) and each loads the extension; loading
/// the model per connection would cost its load time and its memory every time.
final class ModelRegistry: @unchecked Sendable {
    static let shared = ModelRegistry()

    /// Held while a model loads, so two connections asking at once load it once.
    private let lock = NSLock()
    private var fallback: LabelingModel?
    private var loaded: [String: LabelingModel] = [:]

    /// The model the command line would use here: `$QUERYKIND_MODEL`, else the shipped model in `./Models`, or in
    /// `Models/` or `share/querykind/Models/` beside or above this library (`ModelDirectory.resolve`), run as
    /// `$QUERYKIND_PRECISION`, `$QUERYKIND_GEMM` and `$QUERYKIND_THREADS` say.
    func defaultModel() throws -> LabelingModel {
        try lock.withLock {
            if let fallback { return fallback }
            let environment = ProcessInfo.processInfo.environment
            let directory: ModelDirectory
            do {
                directory = try ModelDirectory.resolve(
                    explicit: nil, environment: environment,
                    currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                    executable: Self.libraryFile)
            } catch ModelLoadError.noDefaultModel(let name, let searched) {
                throw SQLFailure("querykind: no model: the shipped model \(name) is in none of: "
                    + "\(searched.joined(separator: ", ")); set QUERYKIND_MODEL to a model folder, "
                    + "or call querykind_load('/path/to/model')")
            } catch {
                throw SQLFailure("querykind: cannot load the model named by QUERYKIND_MODEL: \(error)")
            }
            let model = try load(directory, precision: nil, environment: environment)
            fallback = model
            return model
        }
    }

    /// The model in `path` (relative to the working directory), run in `precision` (nil: `$QUERYKIND_PRECISION`, else
    /// float32).
    func model(at path: String, precision: NumericPrecision?) throws -> LabelingModel {
        try lock.withLock {
            let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            let directory: ModelDirectory
            do { directory = try ModelDirectory(url) } catch {
                throw SQLFailure("querykind_load: \(url.standardizedFileURL.path) is not a model folder: \(error)")
            }
            let name = "\(directory.url.path)\n\(precision?.rawValue ?? "")"
            if let known = loaded[name] { return known }
            let model = try load(directory, precision: precision, environment: ProcessInfo.processInfo.environment)
            loaded[name] = model
            return model
        }
    }

    private func load(_ directory: ModelDirectory, precision: NumericPrecision?,
                      environment: [String: String]) throws -> LabelingModel {
        let settings = try Self.settings(precision: precision, environment: environment)
        settings.configureProcess()
        let classifier: QueryClassifier
        do {
            classifier = try QueryClassifier(directory, settings: settings)
        } catch {
            throw SQLFailure("querykind: cannot load model \(directory.url.path): \(error)")
        }
        if let fallback = classifier.precisionFallback {
            FileHandle.standardError.write(Data("querykind: warning: \(fallback)\n".utf8))
        }
        return LabelingModel(classifier)
    }

    /// The settings `classify` runs with when given no flags: `$QUERYKIND_PRECISION` (unless `precision` is given),
    /// `$QUERYKIND_GEMM` and `$QUERYKIND_THREADS` (default: one worker per core), so the same model gets the same id
    /// and the same labels from SQL as from the command line.
    static func settings(precision: NumericPrecision?, environment: [String: String]) throws -> RuntimeSettings {
        func variable<Value>(_ name: String, _ parse: (String) -> Value?) throws -> Value? {
            guard let raw = environment[name], !raw.isEmpty else { return nil }
            guard let value = parse(raw) else { throw SQLFailure("querykind: $\(name)=\(raw) is not a valid value") }
            return value
        }
        let threads = try variable("QUERYKIND_THREADS") { Int($0).flatMap { $0 >= 1 ? $0 : nil } }
            ?? RuntimeSettings.defaultThreads
        return RuntimeSettings(
            precision: try precision ?? variable("QUERYKIND_PRECISION", NumericPrecision.init) ?? .float32,
            backend: try variable("QUERYKIND_GEMM") { RuntimeSettings.Backend(rawValue: $0.lowercased()) } ?? .automatic,
            threads: threads)
    }

    /// This library's file: the command line looks for the shipped model around its executable, the extension
    /// around itself (`.build/release/` in a checkout, `<prefix>/lib/` when installed).
    static let libraryFile = URL(fileURLWithPath: querykind_library_path().map { String(cString: $0) }
        ?? CommandLine.arguments.first ?? "")
}
