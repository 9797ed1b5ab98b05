import BertClassifier
import LabelStore

/// Labels a batch of raw values the way every command does: triage bad values, normalize to cache keys,
/// dedupe within the batch, consult the cache, and run the model only on keys it has never seen.
///
/// Keys are the tokenizer's normalized text, which gives exactly the model's token ids, so a cached label is
/// the label the model would give; the model is run on the keys themselves.
struct BatchLabeler {
    /// The cache to consult; nil labels with the model alone (`lookup` without `--db`).
    let store: (any LabelDatabase)?
    let classifier: QueryClassifier
    /// How many texts go through the model together.
    let inferenceBatchSize: Int

    /// A batch's outcomes in input order, with the cache changes and counters to record.
    struct Resolution {
        var outcomes: LabelOutcomes
        /// Each value's cache key, or why it has none, in input order.
        var keys: [Result<String, UnlabelableRow>]
        var cache: LabelStore.CacheUpdate
        var counters = RunCounters()
    }

    /// Triage, normalize, dedupe and consult the cache; no model work. The first half of `resolve`, split off so a
    /// pipeline can prepare the next batch while the model runs this one.
    func prepare(_ values: [SourceValue]) throws -> LabelTriage {
        var triage = LabelTriage(values, classifier: classifier)
        if let store { triage.take(try store.cachedLabels(model: classifier.modelID, keys: triage.misses)) }
        return triage
    }

    /// The labels of `prepared.misses`, in order, from the model.
    func predict(_ prepared: LabelTriage) -> [StoredLabel] {
        classifier.predict(prepared.misses, batchSize: inferenceBatchSize).map(StoredLabel.init)
    }

    /// Every outcome of a prepared batch, given the model's labels for its misses (counted by `LabelOutcomes`).
    func finish(_ prepared: LabelTriage, predicted: [StoredLabel]) -> Resolution {
        var cache = LabelStore.CacheUpdate(model: classifier.modelID)
        cache.newEntries = zip(prepared.misses, predicted).map { (key: $0, label: $1) }
        var triage = prepared
        triage.take(Dictionary(uniqueKeysWithValues: zip(prepared.misses, predicted)))
        let outcomes = triage.outcomes(computed: Set(prepared.misses))
        cache.hits = outcomes.hits
        var counters = RunCounters()
        counters.scanned = prepared.keys.count
        counters.inferences = prepared.misses.count
        counters.labeled = outcomes.labeledCount
        counters.errors = outcomes.errorCount
        counters.cacheHits = outcomes.hitCount
        return Resolution(outcomes: outcomes, keys: prepared.keys, cache: cache, counters: counters)
    }

    /// Labels `values` in one go: `prepare`, the model on the misses, `finish`.
    func resolve(_ values: [SourceValue]) throws -> Resolution {
        let prepared = try prepare(values)
        return finish(prepared, predicted: predict(prepared))
    }

    /// The store's batch for `rows` from their resolution: one outcome per row, in row order.
    func batch(_ rows: [SourceRow], _ resolution: Resolution) -> LabelStore.LabelBatch {
        var batch = LabelStore.LabelBatch(model: classifier.modelID)
        batch.cache = resolution.cache
        batch.counters = resolution.counters
        batch.outcomes = zip(rows, resolution.outcomes.items).map { row, item in
            switch item {
            case .success(let outcome): (row.id, .labeled(outcome.label))
            case .failure(let problem): (row.id, .failed(reason: problem.rawValue))
            }
        }
        for (row, key) in zip(rows, resolution.keys) { if case .success(let key) = key { batch.keys[row.id] = key } }
        return batch
    }
}

extension StoredLabel {
    /// The stored form of a model prediction.
    public init(_ prediction: QueryPrediction) {
        self.init(kind: prediction.kind.rawValue, pKeyword: Double(prediction.pKeyword),
                  pQuestion: Double(prediction.pQuestion))
    }
}
