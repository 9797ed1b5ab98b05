import BertTokenizer
import Crypto
import Foundation
import TensorMath

/// Classifies queries as keyword / question / statement with a two-head BERT checkpoint, natively in Swift.
///
/// Why: this is querykind's engine. It loads a HuggingFace model directory (`config.json`, `vocab.txt`, and
/// `model.safetensors` or `pytorch_model.bin`), runs one encoder pass per batch and both heads on its pooled
/// output. Each forward pass borrows its own set of buffers from a pool, so calls from several threads run in
/// parallel; `workers` lets `predict(_:batchSize:)` itself spread its batches over that many threads.
public final class QueryClassifier: @unchecked Sendable {
    /// `<directory name>@<first 12 hex digits of SHA-256(config.json bytes + weights file bytes)>`, plus `+int8`
    /// when the encoder runs in int8: names the exact model that produced a label, so cached labels can be
    /// invalidated when the model changes.
    public let modelID: String
    /// The model's tokenizer, with `maxLength` set to the model's `max_position_embeddings`.
    public let tokenizer: WordPieceTokenizer
    /// The encoder's shape.
    public let config: BertConfig
    /// The arithmetic the encoder's dense products run in.
    public let precision: NumericPrecision

    private let model: MultiTaskBert
    private let gemm: any GEMM
    private let lock = NSLock()
    /// Buffers of finished forward passes, ready for the next one (at most one per concurrent caller).
    private var spareScratch: [ForwardScratch] = []
    private var workerCount = 1

    /// Loads a model directory; prefers `model.safetensors` over `pytorch_model.bin` when both exist.
    /// Throws `ModelLoadError` (naming file and tensor) for any problem with the config or weights.
    public convenience init(modelDirectory: URL) throws {
        try self.init(modelDirectory: modelDirectory, gemm: OpenBLASGEMM())
    }

    /// As `init(modelDirectory:)`, with a chosen matrix-multiply backend and precision (`.int8` becomes
    /// `.float32` where int8 products are unavailable; `precision` says which runs).
    public init(modelDirectory: URL, gemm: any GEMM, precision: NumericPrecision = .float32) throws {
        let configURL = modelDirectory.appendingPathComponent("config.json")
        config = try BertConfig(contentsOf: configURL)
        let weightsURL = try Self.weightsFile(in: modelDirectory)
        let checkpoint = try Checkpoint.open(weightsURL)
        var model = try MultiTaskBert(config: config, checkpoint: checkpoint)
        self.precision = precision == .int8 && Int8Linear.isAvailable ? .int8 : .float32
        if self.precision == .int8 { model.quantizeEncoder() }
        self.model = model
        var tokenizer = try WordPieceTokenizer(modelDirectory: modelDirectory)
        tokenizer.maxLength = config.maxPositions
        self.tokenizer = tokenizer
        self.gemm = gemm
        // int8 labels can differ from fp32 ones in the last digits, so they carry their own id and never mix.
        modelID = try Self.modelID(directory: modelDirectory, config: configURL, weights: checkpoint.view.bytes)
            + (self.precision == .int8 ? "+int8" : "")
    }

    /// Loads a model set up for throughput: the fastest matrix-multiply backend here (oneDNN when installed, see
    /// `GEMMBackends.preferred`), single-threaded products, and `workers` threads running batches side by side.
    /// Why: the labeling commands want speed, while `init(modelDirectory:)` stays on the OpenBLAS reference path
    /// that the PyTorch parity tests check. Sets OpenBLAS's process-wide thread count to 1. The precision is
    /// `$QUERYKIND_PRECISION` (`float32` or `int8`) when set, else `.float32`.
    public static func tunedForThroughput(
        modelDirectory: URL, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        precision: NumericPrecision? = nil
    ) throws -> QueryClassifier {
        OpenBLASCore.threads = 1
        let chosen = precision
            ?? ProcessInfo.processInfo.environment["QUERYKIND_PRECISION"].flatMap(NumericPrecision.init(rawValue:))
            ?? .float32
        let classifier = try QueryClassifier(modelDirectory: modelDirectory, gemm: GEMMBackends.preferred(),
                                             precision: chosen)
        classifier.workers = workers
        return classifier
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
        var scratch = borrowScratch()
        defer { returnScratch(scratch) }
        return model.forward(sequences, scratch: &scratch, gemm: gemm)
    }

    /// Threads `predict(_:batchSize:)` runs its batches on (at least 1; default 1). Why: one forward pass of a
    /// small batch cannot keep several cores busy, but independent batches can, with no synchronisation; each
    /// batch's result is the same whichever thread runs it. Pair it with single-threaded GEMM backends.
    public var workers: Int {
        get { lock.withLock { workerCount } }
        set { lock.withLock { workerCount = max(1, newValue) } }
    }

    private func borrowScratch() -> ForwardScratch {
        lock.withLock { spareScratch.popLast() } ?? ForwardScratch()
    }

    private func returnScratch(_ scratch: ForwardScratch) {
        lock.withLock { spareScratch.append(scratch) }
    }

    /// Tokenizes `texts`, runs them in batches of up to `batchSize` texts of similar token length (so batches waste
    /// little work on unequal lengths and stay cache-sized), and returns predictions in input order.
    public func predict(_ texts: [String], batchSize: Int = 32) -> [QueryPrediction] {
        predict(tokenSequences: texts.map { tokenizer.encode($0) }, batchSize: batchSize)
    }

    /// As `predict(_:batchSize:)` for texts already tokenized: length-bucketed batches spread over `workers`
    /// threads, predictions in input order and identical to running each batch alone.
    public func predict(tokenSequences: [[Int32]], batchSize: Int = 32) -> [QueryPrediction] {
        let batches = lengthBuckets(tokenSequences, batchSize: batchSize)
        var results = [QueryPrediction](repeating: QueryPrediction(pKeyword: 0, pQuestion: 0),
                                        count: tokenSequences.count)
        results.withUnsafeMutableBufferPointer { results in
            let output = DisjointSlots(results)
            let next = BatchCounter()
            runOnThreads(min(workers, batches.count)) { _ in
                while let batch = next.take(below: batches.count).map({ batches[$0] }) {
                    // Each index belongs to exactly one batch, so workers never write the same slot.
                    for (index, prediction) in zip(batch, self.predict(tokenIDs: batch.map { tokenSequences[$0] })) {
                        output.value[index] = prediction
                    }
                }
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
