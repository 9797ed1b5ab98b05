import BertClassifier
import LabelStore

/// Labels a batch of raw values the way every command does: triage bad values, normalize to cache keys,
/// dedupe within the batch, consult the cache, and run the model only on keys it has never seen.
///
/// Keys are the tokenizer's normalized text, which gives exactly the model's token ids, so a cached label is
/// the label the model would give; the model is run on the keys themselves.
struct BatchLabeler {
    /// The cache to consult; nil labels with the model alone (`lookup` without `--db`).
    let store: LabelStore?
    let classifier: QueryClassifier
    /// How many texts go through the model together.
    let inferenceBatchSize: Int

    /// One value's outcome: its label and whether it came from the cache (or an earlier duplicate).
    struct Resolved {
        var label: StoredLabel
        var fromCache: Bool
    }

    /// A batch's outcomes in input order, with the cache changes and counters to record.
    struct Resolution {
        var items: [Result<Resolved, UnlabelableRow>] = []
        var cache: LabelStore.CacheUpdate
        var counters = RunCounters()
    }

    func resolve(_ values: [SourceValue]) throws -> Resolution {
        var resolution = Resolution(cache: .init(model: classifier.modelID))
        resolution.counters.scanned = values.count
        let keys: [Result<String, UnlabelableRow>] = values.map { value in
            RowText.of(value).flatMap { text in
                let key = classifier.tokenizer.normalize(text)
                return key.isEmpty ? .failure(.noTokens) : .success(key)
            }
        }
        var distinct: [String] = []
        var seen: Set<String> = []
        for case .success(let key) in keys where seen.insert(key).inserted { distinct.append(key) }

        var labels = try store?.cachedLabels(model: classifier.modelID, keys: distinct) ?? [:]
        let misses = distinct.filter { labels[$0] == nil }
        for (key, prediction) in zip(misses, classifier.predict(misses, batchSize: inferenceBatchSize)) {
            let label = StoredLabel(prediction)
            labels[key] = label
            resolution.cache.newEntries.append((key, label))
        }
        resolution.counters.inferences = misses.count

        var inferred = Set(misses)
        for key in keys {
            switch key {
            case .failure(let problem):
                resolution.items.append(.failure(problem))
                resolution.counters.errors += 1
            case .success(let key):
                // The first value of a missed key used the inference; every other one is a cache hit.
                let fromCache = inferred.remove(key) == nil
                resolution.items.append(.success(Resolved(label: labels[key]!, fromCache: fromCache)))
                resolution.counters.labeled += 1
                if fromCache {
                    resolution.cache.hits[key, default: 0] += 1
                    resolution.counters.cacheHits += 1
                }
            }
        }
        return resolution
    }

    /// The store's batch for `rows`: one outcome per row, in row order.
    func label(_ rows: [SourceRow]) throws -> LabelStore.LabelBatch {
        let resolution = try resolve(rows.map(\.value))
        var batch = LabelStore.LabelBatch(model: classifier.modelID)
        batch.cache = resolution.cache
        batch.counters = resolution.counters
        batch.outcomes = zip(rows, resolution.items).map { row, item in
            switch item {
            case .success(let resolved): (row.id, .labeled(resolved.label))
            case .failure(let problem): (row.id, .failed(reason: problem.rawValue))
            }
        }
        return batch
    }
}

extension StoredLabel {
    /// The stored form of a model prediction.
    init(_ prediction: QueryPrediction) {
        self.init(kind: prediction.kind.rawValue, pKeyword: Double(prediction.pKeyword),
                  pQuestion: Double(prediction.pQuestion))
    }
}
