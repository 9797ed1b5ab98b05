import Annotator
import BertClassifier
import Foundation
import Hummingbird
import LabelStore
import Metrics

/// Answers texts for the HTTP API: the same triage, cache keys and labels as `label`, looked up in memory, then
/// in the database's `label_cache`, then batched through the inference queue.
///
/// Why a type of its own: it is the whole of "cache first, model on a miss" for the server, free of HTTP but for the
/// 503 it throws when the database's cache cannot be read, so the routes stay thin and every route answers a text
/// the same way.
final class LabelResolver: Sendable {
    let classifier: QueryClassifier
    let memory: MemoryCache
    let queue: InferenceQueue
    /// The database's cache, read on a memory miss (nil without `--db`).
    private let reader: CacheReader?
    /// Records new labels and hits in the database (nil without `--db`).
    let writer: CacheWriter?
    private let hits = Counter(label: "querykind_cache_lookups_total", dimensions: [("result", "hit")])
    private let misses = Counter(label: "querykind_cache_lookups_total", dimensions: [("result", "miss")])

    init(classifier: QueryClassifier, memory: MemoryCache, queue: InferenceQueue, reader: CacheReader?,
         writer: CacheWriter?) {
        self.classifier = classifier
        self.memory = memory
        self.queue = queue
        self.reader = reader
        self.writer = writer
    }

    /// One record per text, in order. A wait for the model runs inside `waiting` (which may run it in a task of
    /// its own and cancel it when the client goes away). Throws the queue's `QueueFull` and `Closed`,
    /// `CancellationError`, and a 503 when the database's cache does not answer within its bounded wait.
    func records(
        for texts: [String],
        waiting: (_ wait: @escaping @Sendable () async throws -> [InferenceQueue.Answer]) async throws
            -> [InferenceQueue.Answer]
    ) async throws -> [PredictionRecord] {
        let keys = texts.map { RowText.cacheKey(.text($0), classifier: classifier) }
        var labels: [String: StoredLabel] = [:]
        var missing: [String] = []
        var seen: Set<String> = []
        for case .success(let key) in keys where seen.insert(key).inserted {
            if let label = memory[key] { labels[key] = label } else { missing.append(key) }
        }
        if let reader, !missing.isEmpty {
            let stored: [String: StoredLabel]
            do {
                stored = try await reader.labels(for: missing)
            } catch is DatabaseUnavailable {
                throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "1"], message:
                    "the database's label cache cannot be read now (a lock past --busy-timeout, or the database is "
                    + "unavailable: /readyz says more); retry later")
            }
            memory.store(stored.map { ($0.key, $0.value) })
            labels.merge(stored) { old, _ in old }
            missing.removeAll { stored[$0] != nil }
        }
        var computed: Set<String> = []
        if !missing.isEmpty {
            let items = missing.map { InferenceQueue.Item(key: $0, tokens: classifier.tokenizer.encode($0)) }
            let answers = try await waiting { [queue] in try await queue.predict(items) }
            for (key, answer) in zip(missing, answers) {
                labels[key] = answer.label
                if answer.computed { computed.insert(key) }
            }
        }
        let outcomes = LabelOutcomes(keys: keys, labels: labels, computed: computed)
        hits.increment(by: outcomes.hitCount)
        misses.increment(by: outcomes.labeledCount - outcomes.hitCount)
        writer?.add(hits: outcomes.hits)
        return outcomes.records(texts: texts, cached: .everyRecord)
    }
}
