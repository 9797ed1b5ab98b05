import Annotator
import BertClassifier
import LabelStore

/// A loaded model and the labels it has given in this process: answers values the way `label`, `lookup` and
/// `classify` do (the same triage, cache key and model call, `RowText` and `LabelOutcomes`), looking in memory
/// first, then in the host database's `label_cache`, and running the model only for keys found in neither.
final class LabelingModel: @unchecked Sendable {
    let classifier: QueryClassifier
    private let memory = MemoryLabels()

    /// Texts per model call: `classify`'s default `--inference-batch`, so SQL and the command line run the same
    /// batches.
    static let inferenceBatch = 32

    init(_ classifier: QueryClassifier) {
        self.classifier = classifier
    }

    /// The id `classify` prints and `label_cache` is keyed by.
    var modelID: String { classifier.modelID }

    /// One value's label or why it has none (the scalar functions, row by row): a key seen before costs its
    /// normalization and one dictionary lookup.
    func label(_ value: SourceValue, in host: HostDatabase, writingCache: Bool) throws
        -> Result<StoredLabel, UnlabelableRow> {
        let key = RowText.cacheKey(value, classifier: classifier)
        if case .success(let key) = key, let known = memory[key] { return .success(known) }
        return try label([value], in: host, writingCache: writingCache).items[0].map(\.label)
    }

    /// The outcomes of `values` in order (`querykind_classify`): each distinct key looked up once, the misses run
    /// through the model together, in batches spread over every worker thread. With `writingCache`, the new labels
    /// go to `label_cache` too.
    func label(_ values: [SourceValue], in host: HostDatabase, writingCache: Bool) throws -> LabelOutcomes {
        let keys = values.map { RowText.cacheKey($0, classifier: classifier) }
        var labels: [String: StoredLabel] = [:]
        var unknown: [String] = []
        var seen: Set<String> = []
        for case .success(let key) in keys where seen.insert(key).inserted {
            if let known = memory[key] { labels[key] = known } else { unknown.append(key) }
        }
        let stored = try host.cachedLabels(model: modelID, keys: unknown)
        memory.store(stored.map { (key: $0.key, label: $0.value) })
        labels.merge(stored) { _, stored in stored }
        let misses = unknown.filter { stored[$0] == nil }
        let predicted = zip(misses, classifier.predict(misses, batchSize: Self.inferenceBatch).map(StoredLabel.init))
            .map { (key: $0, label: $1) }
        memory.store(predicted)
        for (key, label) in predicted { labels[key] = label }
        if writingCache { try host.insert(model: modelID, predicted) }
        return LabelOutcomes(keys: keys, labels: labels, computed: Set(misses))
    }
}
