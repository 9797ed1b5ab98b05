import BertTokenizer
import Crypto
import Foundation

/// A HuggingFace BERT model directory: which files it holds, where the default one is found, and the id that
/// names the labels it produces.
///
/// Why one type: every command, the server and the tests resolve, check and identify a model the same way, and
/// the id must cover every file that can change a label (`modelID`), which only works if one place knows the
/// files.
public struct ModelDirectory: Sendable, Equatable {
    /// The folder itself.
    public let url: URL

    /// The folder name of the model shipped in `Models/`.
    public static let shippedName = "querykind-minilm-l3"
    /// Weight file names, in order of preference when a folder holds both.
    public static let weightFileNames = ["model.safetensors", "pytorch_model.bin"]

    /// `config.json`: the encoder's shape.
    public var config: URL { url.appendingPathComponent("config.json") }
    /// `vocab.txt`: the WordPiece vocabulary.
    public var vocabulary: URL { url.appendingPathComponent("vocab.txt") }
    /// `tokenizer_config.json`: optional; `do_lower_case` and the options querykind refuses.
    public var tokenizerConfiguration: URL { url.appendingPathComponent("tokenizer_config.json") }

    /// A directory at `url`; throws `ModelLoadError.missingFile` when it lacks `config.json`, `vocab.txt` or a
    /// weights file, so a wrong path fails with the file it lacks before anything is read.
    public init(_ url: URL) throws {
        self.url = url.standardizedFileURL
        for required in [config, vocabulary] where !Self.exists(required) {
            throw ModelLoadError.missingFile(path: required.path)
        }
        _ = try weights
    }

    /// The weights file: `model.safetensors`, else `pytorch_model.bin`.
    public var weights: URL {
        get throws {
            let candidates = Self.weightFileNames.map { url.appendingPathComponent($0) }
            guard let found = candidates.first(where: Self.exists) else {
                throw ModelLoadError.missingFile(path: candidates[0].path + " (or \(Self.weightFileNames[1]))")
            }
            return found
        }
    }

    /// Every file whose bytes can change a label, in a fixed order: config, vocabulary, tokenizer configuration
    /// (when present) and weights.
    public var files: [URL] {
        get throws {
            [config, vocabulary] + (Self.exists(tokenizerConfiguration) ? [tokenizerConfiguration] : []) + [try weights]
        }
    }

    /// `<folder name>@<12 hex digits>`: a SHA-256 over the normalization version and the name, length and bytes of
    /// every file in `files`, so a changed vocabulary, tokenizer option, config or weight gives a new id and
    /// labels or cache entries of one model are never served as another's. `weightBytes`, when the caller has
    /// already read the weights, saves a second read.
    public func modelID(weightBytes: Data? = nil) throws -> String {
        var hasher = SHA256()
        hasher.update(data: Data("querykind-model-id/normalization-\(WordPieceTokenizer.normalizationVersion)".utf8))
        let weightsURL = try weights
        for file in try files {
            let bytes = try file == weightsURL ? weightBytes ?? Self.read(file) : Self.read(file)
            hasher.update(data: Data("\n\(file.lastPathComponent)\n\(bytes.count)\n".utf8))
            hasher.update(data: bytes)
        }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return "\(url.lastPathComponent)@\(hex.prefix(12))"
    }

    /// The tokenizer the directory describes, cut at `maxLength` ids (the model's `max_position_embeddings`).
    public func tokenizer(maxLength: Int) throws -> WordPieceTokenizer {
        var tokenizer = try WordPieceTokenizer(vocabularyFile: vocabulary, configurationFile: tokenizerConfiguration)
        tokenizer.maxLength = maxLength
        return tokenizer
    }

    /// The model to use: `explicit` (a `--model` flag) when given, else `$QUERYKIND_MODEL`, else the shipped model
    /// found under one of `searchRoots(currentDirectory:executable:)`.
    ///
    /// Why this order: a flag beats the environment, which beats the default; and the default must be found both
    /// from a source checkout (`Models/` beside the working directory or above `.build/…/querykind`) and from an
    /// installed binary (`<prefix>/bin/querykind` with `<prefix>/share/querykind/Models/`).
    public static func resolve(explicit: String?, environment: [String: String],
                               currentDirectory: URL, executable: URL) throws -> ModelDirectory {
        if let path = explicit ?? environment["QUERYKIND_MODEL"] {
            return try ModelDirectory(URL(fileURLWithPath: path, relativeTo: currentDirectory))
        }
        let roots = searchRoots(currentDirectory: currentDirectory, executable: executable)
        for root in roots {
            let candidate = root.appendingPathComponent(shippedName)
            if exists(candidate.appendingPathComponent("config.json")) { return try ModelDirectory(candidate) }
        }
        throw ModelLoadError.noDefaultModel(name: shippedName, searched: roots.map(\.path))
    }

    /// The folders that may hold the shipped model, in order: `Models/` in the working directory, then for the
    /// executable's folder and up to five folders above it, `Models/` and `share/querykind/Models/` there.
    public static func searchRoots(currentDirectory: URL, executable: URL) -> [URL] {
        var roots = [currentDirectory.appendingPathComponent("Models")]
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            roots.append(folder.appendingPathComponent("Models"))
            roots.append(folder.appendingPathComponent("share/querykind/Models"))
            folder = folder.deletingLastPathComponent()
        }
        var seen: Set<String> = []
        return roots.map(\.standardizedFileURL).filter { seen.insert($0.path).inserted }
    }

    /// True when `url` is a file (not a folder).
    private static func exists(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    private static func read(_ url: URL) throws -> Data {
        do { return try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw ModelLoadError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }
}
