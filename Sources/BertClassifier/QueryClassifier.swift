import BertTokenizer
import Foundation
import TensorMath

/// Classifies queries as keyword / question / statement with a two-head BERT checkpoint, natively in Swift.
///
/// Why: this is querykind's engine. It loads a HuggingFace model directory (`config.json`, `vocab.txt`, and
/// `model.safetensors` or `pytorch_model.bin`), runs one encoder pass per batch and both heads on its pooled
/// output. Each forward pass borrows its own set of buffers from a pool, so calls from several threads run in
/// parallel; `workers` lets `predict(_:batchSize:)` itself spread its batches over that many threads.
public final class QueryClassifier: @unchecked Sendable {
    /// The directory's `ModelDirectory.modelID` (every file that changes a label, hashed), plus the precision's
    /// `idSuffix` (`+int8`, `+bf16`) when the encoder does not run in fp32: names the exact model that produced a label, so cached labels can never be served for
    /// a different model, tokenizer or precision.
    public let modelID: String
    /// The model's tokenizer, with `maxLength` set to the model's `max_position_embeddings`.
    public let tokenizer: WordPieceTokenizer
    /// The encoder's shape.
    public let config: BertConfig
    /// The arithmetic the encoder's dense products run in.
    public let precision: NumericPrecision
    /// One line for the operator when the requested precision cannot run here: what was asked, why not (the missing
    /// CPU feature or library) and what runs instead; nil when it runs. Why: a fallback that says nothing looks like
    /// a slow machine, and its labels carry another model id.
    public let precisionFallback: String?

    private let model: MultiTaskBert
    private let gemm: any GEMM
    private let lock = NSLock()
    /// Buffers of finished forward passes, ready for the next one (at most one per concurrent caller).
    private var spareBuffers: [ForwardBuffers] = []
    private var workerCount = 1

    /// Loads a model directory to run with `settings` (by default the OpenBLAS fp32 reference set-up that the
    /// PyTorch parity tests check). Throws `ModelLoadError` (naming file and tensor) for any problem with the config
    /// or weights, or `TokenizerError` for the vocabulary or tokenizer configuration.
    ///
    /// Nothing process-wide changes: with `settings.threads` set the workers run whole batches side by side, and the
    /// program calls `settings.configureProcess()` once so that each of their products runs single-threaded.
    public init(_ directory: ModelDirectory, settings: RuntimeSettings = .reference) throws {
        config = try BertConfig(contentsOf: directory.config)
        let checkpoint = try Checkpoint.open(try directory.weights)
        var model = try MultiTaskBert(config: config, checkpoint: checkpoint)
        if let missing = settings.precision.requirementMissing {
            precision = .float32
            precisionFallback = "--precision \(settings.precision.rawValue) cannot run here: \(missing); "
                + "running float32 (labels carry the float32 model id)"
        } else {
            precision = settings.precision
            precisionFallback = nil
        }
        if precision != .float32 { model.lowerEncoder(to: precision) }
        self.model = model
        tokenizer = try directory.tokenizer(maxLength: config.maxPositions)
        gemm = try settings.makeGEMM()
        if let threads = settings.threads { workerCount = threads }
        modelID = try directory.modelID(weightBytes: checkpoint.view.bytes) + precision.idSuffix
    }

    /// `init(_:settings:)` for the directory at `url`.
    public convenience init(modelDirectory url: URL, settings: RuntimeSettings = .reference) throws {
        try self.init(ModelDirectory(url), settings: settings)
    }

    /// Texts per forward pass (the inference batch) when none is asked for: the one default of `--inference-batch`,
    /// the labeling job, `lookup` and the SQLite extension. Larger batches amortize more, smaller ones finish sooner.
    public static let defaultInferenceBatch = 32

    /// Predicts one batch of token id sequences (each `[CLS] … [SEP]`), keeping their order.
    ///
    /// The batch is packed without padding and attention never crosses sequences, so each result is independent of
    /// the others in the batch. Sequences longer than `max_position_embeddings` keep their first ids and their
    /// last id (`[SEP]`); an empty sequence is read as a single `[PAD]`; ids outside the vocabulary read as `[PAD]`
    /// (id 0). Nothing here can fail, so the call does not throw.
    public func predict(tokenIDs: [[Int32]]) -> [QueryPrediction] {
        guard !tokenIDs.isEmpty else { return [] }
        let sequences = tokenIDs.map(sanitized)
        let buffers = borrowBuffers()
        defer { returnBuffers(buffers) }
        return model.forward(sequences, buffers: buffers, gemm: gemm)
    }

    /// Threads `predict(_:batchSize:)` runs its batches on (at least 1; default 1). Why: one forward pass of a
    /// small batch cannot keep several cores busy, but independent batches can, with no synchronisation; each
    /// batch's result is the same whichever thread runs it. Pair it with single-threaded GEMM backends.
    public var workers: Int {
        get { lock.withLock { workerCount } }
        set { lock.withLock { workerCount = max(1, newValue) } }
    }

    private func borrowBuffers() -> ForwardBuffers {
        lock.withLock { spareBuffers.popLast() } ?? ForwardBuffers()
    }

    private func returnBuffers(_ buffers: ForwardBuffers) {
        lock.withLock { spareBuffers.append(buffers) }
    }

    /// Tokenizes `texts`, runs them in batches of up to `batchSize` texts of similar token length (so batches waste
    /// little work on unequal lengths and stay cache-sized), and returns predictions in input order.
    public func predict(_ texts: [String], batchSize: Int = defaultInferenceBatch) -> [QueryPrediction] {
        predict(tokenSequences: texts.map { tokenizer.encode($0) }, batchSize: batchSize)
    }

    /// As `predict(_:batchSize:)` for texts already tokenized: length-bucketed batches spread over `workers`
    /// threads, predictions in input order and identical to running each batch alone.
    public func predict(tokenSequences: [[Int32]], batchSize: Int = defaultInferenceBatch) -> [QueryPrediction] {
        let batches = lengthBuckets(tokenSequences, batchSize: batchSize)
        var results = [QueryPrediction](repeating: QueryPrediction(pKeyword: 0, pQuestion: 0),
                                        count: tokenSequences.count)
        results.withUnsafeMutableBufferPointer { results in
            let output = DisjointSlots(results)
            let next = BatchCounter()
            runOnThreads(min(workers, batches.count)) { _ in
                // Longest batches first, so the last batch a worker takes is a short one and no core waits long
                // for another to finish (the batches themselves, and so every result, are unchanged).
                while let batch = next.take(below: batches.count).map({ batches[batches.count - 1 - $0] }) {
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
}
