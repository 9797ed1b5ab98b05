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
        var cache: LabelStore.CacheUpdate
        var counters = RunCounters()
    }

    /// A batch read and looked up, waiting for the model: the first half of `resolve`, split off so a pipeline
    /// can prepare the next batch while the model runs this one.
    struct Prepared {
        /// Each value's cache key, or why it cannot be labeled, in input order.
        var keys: [Result<String, UnlabelableRow>]
        /// Labels known so far: from the cache, or (see `adopt`) from an earlier batch's fresh predictions.
        var labels: [String: StoredLabel]
        /// Distinct keys still without a label, in first-seen order: what the model must run on.
        var misses: [String]

        /// Takes the labels of keys an earlier batch of the same pass has just predicted, so a key is run through
        /// the model once even when the next batch was looked up before the earlier one reached the cache. The
        /// adopted keys count as cache hits, as they would have a moment later.
        mutating func adopt(_ predicted: [String: StoredLabel]) {
            guard !predicted.isEmpty else { return }
            misses.removeAll { key in
                guard let label = predicted[key] else { return false }
                labels[key] = label
                return true
            }
        }
    }

    /// Triage, normalize, dedupe and consult the cache; no model work.
    func prepare(_ values: [SourceValue]) throws -> Prepared {
        // A log repeats itself: key each distinct value once.
        var keyOfValue: [SourceValue: Result<String, UnlabelableRow>] = [:]
        let keys = values.map { value in
            if let known = keyOfValue[value] { return known }
            let key = RowText.cacheKey(value, classifier: classifier)
            keyOfValue[value] = key
            return key
        }
        var distinct: [String] = []
        var seen: Set<String> = []
        for case .success(let key) in keys where seen.insert(key).inserted { distinct.append(key) }
        let labels = try store?.cachedLabels(model: classifier.modelID, keys: distinct) ?? [:]
        return Prepared(keys: keys, labels: labels, misses: distinct.filter { labels[$0] == nil })
    }

    /// The labels of `prepared.misses`, in order, from the model.
    func predict(_ prepared: Prepared) -> [StoredLabel] {
        classifier.predict(prepared.misses, batchSize: inferenceBatchSize).map(StoredLabel.init)
    }

    /// Every outcome of a prepared batch, given the model's labels for its misses (counted by `LabelOutcomes`).
    func finish(_ prepared: Prepared, predicted: [StoredLabel]) -> Resolution {
        var cache = LabelStore.CacheUpdate(model: classifier.modelID)
        var labels = prepared.labels
        for (key, label) in zip(prepared.misses, predicted) {
            labels[key] = label
            cache.newEntries.append((key, label))
        }
        let outcomes = LabelOutcomes(keys: prepared.keys, labels: labels, computed: Set(prepared.misses))
        cache.hits = outcomes.hits
        var counters = RunCounters()
        counters.scanned = prepared.keys.count
        counters.inferences = prepared.misses.count
        counters.labeled = outcomes.labeledCount
        counters.errors = outcomes.errorCount
        counters.cacheHits = outcomes.hitCount
        return Resolution(outcomes: outcomes, cache: cache, counters: counters)
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
