import BertClassifier
import LabelStore
import Logging

/// Labels texts for `serve`: the triage, keys and counting of `label` and `lookup` (`LabelTriage`), looked up in a
/// bounded memory, then in the database's `label_cache`, then batched with every concurrent caller's misses through
/// the inference queue; new labels and hits are written back to `label_cache` in the background.
///
/// Why a type of its own, free of HTTP: it is the whole of "cache first, model on a miss" for a long-running
/// process, where callers wait concurrently and a database read must not hold a cooperative thread (`CacheReader`),
/// so the server's routes only map its outcomes and errors to answers, and every route answers a text the same way.
public final class CacheFirstLabeler: Sendable {
    public let classifier: QueryClassifier
    /// The labels held in memory, read first (its `count` is a metric).
    public let memory: MemoryCache
    /// The model's queue for misses (its depth and abandoned keys are metrics).
    public let queue: InferenceQueue
    /// The database's cache, read on a memory miss (nil without a database).
    private let reader: CacheReader?
    /// Records new labels and hits in the database (nil without a database).
    private let writer: CacheWriter?
    /// The current reviews, whose kinds win over the model's (nil without a database).
    private let reviews: ReviewBook?

    /// The reader's and the writer's own connections to a database already set up for this model
    /// (`LabelDatabase.setUp`).
    public struct Connections {
        public var reader: any LabelDatabase
        public var writer: any LabelDatabase

        public init(reader: any LabelDatabase, writer: any LabelDatabase) {
            self.reader = reader
            self.writer = writer
        }
    }

    /// Holds up to `memoryCapacity` labels in memory and starts the queue's workers (and, with `database`, the
    /// cache writer's thread); `onBatch` sees every batch the model ran, once its labels are cached. `close()` stops
    /// them.
    public init(classifier: QueryClassifier, memoryCapacity: Int, limits: InferenceQueue.Limits,
                database: Connections?, logger: Logger,
                onBatch: @escaping @Sendable (InferenceQueue.BatchReport) -> Void = { _ in }) {
        let memory = MemoryCache(capacity: memoryCapacity)
        let writer = database.map { CacheWriter(store: $0.writer, model: classifier.modelID, logger: logger) }
        self.classifier = classifier
        self.memory = memory
        self.writer = writer
        let reader = database.map { CacheReader(store: $0.reader, model: classifier.modelID, logger: logger) }
        self.reader = reader
        reviews = reader.map { ReviewBook(reader: $0) }
        queue = InferenceQueue(
            classifier: classifier, limits: limits,
            recall: { memory[$0] },
            onBatch: { batch in
                let entries = Array(zip(batch.keys, batch.labels))
                memory.store(entries)
                writer?.add(entries: entries)
                onBatch(batch)
            })
    }

    /// The model whose labels this labeler gives.
    public var modelID: String { classifier.modelID }

    /// Each value's outcome, in order. A wait for the model runs inside `waiting` (which may run it in a task of its
    /// own and cancel it when the caller goes away). Throws the queue's `QueueFull`, `TooMuchWork` and `Closed`,
    /// `CancellationError`, and `DatabaseUnavailable` when the database's cache does not answer within its bounded
    /// wait.
    public func label(
        _ values: [SourceValue],
        waiting: (_ wait: @escaping @Sendable () async throws -> [InferenceQueue.Answer]) async throws
            -> [InferenceQueue.Answer]
    ) async throws -> LabelOutcomes {
        var triage = LabelTriage(values, classifier: classifier)
        triage.take(memory.labels(for: triage.misses))
        if let reader, !triage.misses.isEmpty {
            let stored = try await reader.labels(for: triage.misses)
            memory.store(stored.map { ($0.key, $0.value) })
            triage.take(stored)
        }
        var computed: Set<String> = []
        if !triage.misses.isEmpty {
            let misses = triage.misses
            let items = misses.map { InferenceQueue.Item(key: $0, tokens: classifier.tokenizer.encode($0)) }
            let answers = try await waiting { [queue] in try await queue.predict(items) }
            triage.take(Dictionary(uniqueKeysWithValues: zip(misses, answers.map(\.label))))
            for (key, answer) in zip(misses, answers) where answer.computed { computed.insert(key) }
        }
        var outcomes = triage.outcomes(computed: computed)
        writer?.add(hits: outcomes.hits)
        if let reviews { outcomes.applyReviews(try await reviews.kinds(for: outcomes.labeledKeys)) }
        return outcomes
    }

    /// Makes the next answer read the reviews again: call it after recording one, so this process answers with it
    /// at once (others see it within a second).
    public func reviewsChanged() { reviews?.invalidate() }

    /// Why the database's cache cannot be used now, nil when it can (or when there is no database).
    public func databaseProblem() async -> String? {
        guard let reader else { return nil }
        return await reader.answers() ? nil : "the database does not answer"
    }

    /// Lets the model finish every admitted key, then writes the pending cache entries; later calls throw
    /// `InferenceQueue.Closed`.
    public func close() {
        queue.close()
        writer?.close()
    }
}
