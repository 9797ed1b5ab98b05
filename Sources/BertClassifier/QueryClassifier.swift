import BertTokenizer
import Crypto
import Foundation
import TensorMath

/// Classifies queries as keyword / question / statement with a two-head BERT checkpoint, natively in Swift.
///
/// Why: this is querykind's engine. It loads a HuggingFace model directory (`config.json`, `vocab.txt`, and
/// `model.safetensors` or `pytorch_model.bin`), runs one encoder pass per batch and both heads on its pooled
/// output. Calls are serialized by a lock because the forward pass reuses one set of buffers.
public final class QueryClassifier: @unchecked Sendable {
    /// `<directory name>@<first 12 hex digits of SHA-256(config.json bytes + weights file bytes)>`: names the exact
    /// model that produced a label, so cached labels can be invalidated when the model changes.
    public let modelID: String
    /// The model's tokenizer, with `maxLength` set to the model's `max_position_embeddings`.
    public let tokenizer: WordPieceTokenizer
    /// The encoder's shape.
    public let config: BertConfig

    private let model: MultiTaskBert
    private let gemm: any GEMM
    private let lock = NSLock()
    private var scratch = ForwardScratch()

    /// Loads a model directory; prefers `model.safetensors` over `pytorch_model.bin` when both exist.
    /// Throws `ModelLoadError` (naming file and tensor) for any problem with the config or weights.
    public convenience init(modelDirectory: URL) throws {
        try self.init(modelDirectory: modelDirectory, gemm: OpenBLASGEMM())
    }

    /// As `init(modelDirectory:)`, with a chosen matrix-multiply backend.
    public init(modelDirectory: URL, gemm: any GEMM) throws {
        let configURL = modelDirectory.appendingPathComponent("config.json")
        config = try BertConfig(contentsOf: configURL)
        let weightsURL = try Self.weightsFile(in: modelDirectory)
        let checkpoint = try Checkpoint.open(weightsURL)
        model = try MultiTaskBert(config: config, checkpoint: checkpoint)
        var tokenizer = try WordPieceTokenizer(modelDirectory: modelDirectory)
        tokenizer.maxLength = config.maxPositions
        self.tokenizer = tokenizer
        self.gemm = gemm
        modelID = try Self.modelID(directory: modelDirectory, config: configURL, weights: checkpoint.view.bytes)
    }

    /// Predicts one batch of token id sequences (each `[CLS] … [SEP]`), keeping their order.
    ///
    /// The batch is packed without padding and attention never crosses sequences, so each result is independent of
    /// the others in the batch. Sequences longer than `max_position_embeddings` keep their first ids and their
    /// last id (`[SEP]`); an empty sequence is read as a single `[PAD]`; ids outside the vocabulary read as `[PAD]`
    /// (id 0). Nothing here can fail, so the call does not throw.
    public func predict(tokenIDs: [[Int32]]) -> [QueryPrediction] {
        guard !tokenIDs.isEmpty else { return [] }
        let sequences = tokenIDs.map(sanitized)
        lock.lock()
        defer { lock.unlock() }
        return model.forward(sequences, scratch: &scratch, gemm: gemm)
    }

    /// Tokenizes `texts`, runs them in batches of up to `batchSize` texts of similar token length (so batches waste
    /// little work on unequal lengths and stay cache-sized), and returns predictions in input order.
    public func predict(_ texts: [String], batchSize: Int = 32) -> [QueryPrediction] {
        let encoded = texts.map { tokenizer.encode($0) }
        var results = [QueryPrediction](repeating: QueryPrediction(pKeyword: 0, pQuestion: 0), count: texts.count)
        for batch in lengthBuckets(encoded, batchSize: batchSize) {
            for (index, prediction) in zip(batch, predict(tokenIDs: batch.map { encoded[$0] })) {
                results[index] = prediction
            }
        }
        return results
    }

    /// Groups the indices of `sequences` into batches of at most `batchSize` (at least 1) sequences of neighbouring
    /// lengths, shortest first; every index appears exactly once.
    public func lengthBuckets(_ sequences: [[Int32]], batchSize: Int) -> [[Int]] {
        let order = sequences.indices.sorted { sequences[$0].count < sequences[$1].count }
        let size = max(1, batchSize)
        return stride(from: 0, to: order.count, by: size).map { Array(order[$0..<min($0 + size, order.count)]) }
    }

    /// The name of the matrix-multiply backend in use, for logs and benchmark reports.
    public var gemmName: String { gemm.name }

    /// Makes a sequence safe to embed (see `predict(tokenIDs:)`); returns it unchanged in the usual case.
    private func sanitized(_ ids: [Int32]) -> [Int32] {
        let vocabulary = Int32(clamping: config.vocabularySize)
        var ids = ids.isEmpty ? [0] : ids
        if ids.count > config.maxPositions {
            ids = Array(ids.prefix(config.maxPositions - 1)) + [ids[ids.count - 1]]
        }
        if ids.contains(where: { $0 < 0 || $0 >= vocabulary }) {
            ids = ids.map { $0 >= 0 && $0 < vocabulary ? $0 : 0 }
        }
        return ids
    }

    private static func weightsFile(in directory: URL) throws -> URL {
        for name in ["model.safetensors", "pytorch_model.bin"] {
            let url = directory.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw ModelLoadError.missingFile(path: directory.appendingPathComponent("model.safetensors").path
                                         + " (or pytorch_model.bin)")
    }

    private static func modelID(directory: URL, config: URL, weights: Data) throws -> String {
        let configBytes: Data
        do { configBytes = try Data(contentsOf: config) } catch {
            throw ModelLoadError.unreadableFile(path: config.path, reason: error.localizedDescription)
        }
        var hasher = SHA256()
        hasher.update(data: configBytes)
        hasher.update(data: weights)
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return "\(directory.standardizedFileURL.lastPathComponent)@\(hex.prefix(12))"
    }
}
